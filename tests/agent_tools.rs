//! Agent tools end to end: the fixture agent app is fully inventoried, `aibom init` writes a
//! registry that silences the TOOL rules once its TODOs are filled, and literal secrets never
//! reach any output.

use std::path::{Path, PathBuf};

use aibom::agent::Tier;
use aibom::git::ChangeScope;
use aibom::inventory::RelationKind;
use aibom::{ScanOptions, scan};
use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aibom() -> Command {
    let mut cmd = Command::cargo_bin("aibom").expect("binary");
    cmd.env("NO_COLOR", "1").env(
        "AIBOM_CACHE_DIR",
        std::env::temp_dir().join("aibom-agent-tools-test-cache"),
    );
    cmd
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Write `text` to `path` under `root`, with the directories it needs.
fn write_file(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn tool_findings(dir: &Path) -> Vec<(String, String)> {
    let mut options = ScanOptions::new(dir);
    let config = dir.join("aibom.toml");
    if config.is_file() {
        options.policy = aibom::policy::load(&config).unwrap_or_else(|e| panic!("{e:?}"));
    }
    scan(options)
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.code.starts_with("TOOL"))
        .map(|f| (f.code.to_owned(), f.subject))
        .collect()
}

#[test]
fn agent_app_is_fully_inventoried() {
    let result = scan(ScanOptions::new(root().join("fixtures/agent-app"))).unwrap();
    let inv = &result.inventory;
    let ids: Vec<&str> = inv.agent_tools.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "builtin:ShellTool",
            "builtin:bash_20250124",
            "builtin:code_interpreter",
            "fn:Fetch Forecast",
            "fn:archive_ticket",
            "fn:get_weather",
            "fn:issue_refund",
            "fn:lookup_order",
            "fn:search_kb",
            "fn:send_receipt",
            "mcp:billing",
            "mcp:deploy",
            "mcp:deploy/rollout",
            "mcp:deploy/status",
            "mcp:docs",
            "mcp:memory",
            "mcp:ops",
            "mcp:ops/get_status",
            "mcp:ops/restart_job",
            "mcp:tickets",
        ]
    );
    let tier = |id: &str| inv.agent_tools[id].tier;
    assert_eq!(tier("builtin:bash_20250124"), Tier::Execute);
    assert_eq!(tier("builtin:ShellTool"), Tier::Execute);
    assert_eq!(tier("fn:issue_refund"), Tier::Financial);
    assert_eq!(tier("fn:send_receipt"), Tier::ExternalSend);
    assert_eq!(tier("mcp:docs"), Tier::WriteIrreversible);
    assert_eq!(tier("mcp:ops/get_status"), Tier::Read);
    assert_eq!(tier("mcp:ops/restart_job"), Tier::WriteReversible);
    assert_eq!(tier("mcp:deploy/status"), Tier::WriteIrreversible);
    assert_eq!(tier("mcp:tickets"), Tier::WriteIrreversible);

    // Every tool and server is a component, and servers provide their tools.
    for tool in inv.agent_tools.values() {
        let component = inv.component(&tool.component).expect("component");
        assert_eq!(component.properties["tool_id"], tool.id.as_str());
        assert_eq!(component.properties["inferred_tier"], tool.tier.as_str());
    }
    let provides: Vec<(&str, &str)> = inv
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::ProvidesTool)
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    assert!(provides.contains(&("tool-provider:mcp:ops", "tool:mcp:ops/get_status")));
    assert!(provides.contains(&("tool-provider:mcp:deploy", "tool:mcp:deploy/rollout")));
    assert_eq!(provides.len(), 4);

    // References stay references; the auto-approved tool is the read-only one.
    let billing = &inv.agent_tools["mcp:billing"];
    assert_eq!(billing.env_keys, ["BILLING_API_KEY", "BILLING_REGION"]);
    assert!(billing.secrets.is_empty());
    assert_eq!(inv.agent_tools["mcp:ops/get_status"].auto_approval.len(), 1);
    assert_eq!(
        inv.agent_tools["mcp:docs"].paths,
        ["/srv/acme/docs".to_owned()]
    );

    // Without a registry, every tool is unregistered and nothing else is wrong.
    let findings = tool_findings(&root().join("fixtures/agent-app"));
    assert_eq!(findings.len(), ids.len(), "{findings:#?}");
    assert!(findings.iter().all(|(code, _)| code == "TOOL001"));
}

/// An MCP server written in code, with no MCP config naming it anywhere in the scan, is its
/// tools' provider: the file belongs to the provider's component.
#[test]
fn an_mcp_server_in_code_alone_provides_its_tools() {
    for (file, provider, tools) in [
        (
            "fixtures/agent-app/server/deploy.ts",
            "mcp:deploy",
            &["mcp:deploy/rollout", "mcp:deploy/status"][..],
        ),
        (
            "fixtures/agent-app/server/ops_server.py",
            "mcp:ops",
            &["mcp:ops/get_status", "mcp:ops/restart_job"][..],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let name = Path::new(file).file_name().unwrap();
        std::fs::copy(root().join(file), dir.path().join(name)).unwrap();
        let result = scan(ScanOptions::new(dir.path())).unwrap();
        let inv = &result.inventory;
        let mut ids: Vec<&str> = inv.agent_tools.keys().map(String::as_str).collect();
        ids.retain(|id| *id != provider);
        assert_eq!(ids, tools, "{file}");
        let component = format!("tool-provider:{provider}");
        assert!(inv.component(&component).is_some(), "{file}");
        let owner = inv.files.iter().find(|f| f.path == name.to_str().unwrap());
        assert_eq!(
            owner.and_then(|f| f.component.as_deref()),
            Some(component.as_str()),
            "{file}"
        );
    }
}

#[test]
fn init_writes_a_registry_that_silences_the_tool_rules_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("agent-app");
    copy_dir(&root().join("fixtures/agent-app"), &repo);

    aibom().arg("init").arg(&repo).assert().success();
    let config = repo.join("aibom.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("[project]"));
    assert!(text.contains("id = \"fn:issue_refund\"\ntier = \"financial\""));
    assert!(text.contains("# evidence: name contains \"refund\""));
    assert_eq!(text.matches("[[tool]]").count(), 20);

    // With TODOs the entries exist but are incomplete.
    let before = tool_findings(&repo);
    assert!(
        before.iter().all(|(code, _)| code == "TOOL003"),
        "{before:#?}"
    );
    assert_eq!(before.len(), 20);

    // Never overwrites.
    let refused = aibom().arg("init").arg(&repo).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);

    std::fs::write(&config, text.replace("\"TODO\"", "\"acme-platform\"")).unwrap();
    let after = tool_findings(&repo);
    assert!(after.is_empty(), "{after:#?}");

    // --output writes elsewhere, also without overwriting.
    let other = dir.path().join("other.toml");
    aibom()
        .arg("init")
        .arg(&repo)
        .arg("--output")
        .arg(&other)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("[[tool]]")
    );
}

#[test]
fn literal_secrets_never_appear_in_any_output() {
    let case = root().join("fixtures/rules/TOOL006/fail-literal-env-and-header");
    let planted = ["acmelive7f3k9q2m8x4w", "acmetoken5v8n2b6c1z"];
    let on_disk = std::fs::read_to_string(case.join(".mcp.json")).unwrap();
    assert!(
        planted.iter().all(|s| on_disk.contains(s)),
        "the fixture plants both values"
    );

    let mut outputs = Vec::new();
    for args in [
        vec!["scan", "--format", "json"],
        vec!["scan", "--format", "sarif"],
        vec!["scan", "--format", "human", "--color", "never"],
        vec!["bom", "--format", "json"],
        vec!["bom", "--format", "human"],
    ] {
        let out = aibom().args(&args).arg(&case).output().unwrap();
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let all = outputs.join("\n");
    assert!(all.contains("TOOL006"), "the secrets are reported");
    assert!(all.contains("ACME_API_KEY") && all.contains("Authorization"));
    for secret in planted {
        assert!(!all.contains(secret), "{secret} leaked into an output");
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("r");
    copy_dir(&case, &repo);
    aibom().arg("init").arg(&repo).assert().success();
    let init = std::fs::read_to_string(repo.join("aibom.toml")).unwrap();
    for secret in planted {
        assert!(!init.contains(secret), "{secret} leaked into aibom init");
    }
}

#[test]
fn init_on_the_demo_writes_corpus_and_model_skeletons_that_load() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("demo");
    copy_dir(&root().join("fixtures/demo"), &repo);
    aibom().arg("init").arg(&repo).assert().success();
    let text = std::fs::read_to_string(repo.join("aibom.toml")).unwrap();
    assert!(text.contains("[[corpus]]\nid = \"support-chats\"\npath = \"data/support-chats\""));
    assert!(text.contains("[[model]]\nid = \"support-lora\"\npath = \"models/support-lora\""));
    assert!(text.contains("id = \"fn:refund_order\"\ntier = \"financial\""));
    aibom::policy::load(&repo.join("aibom.toml")).expect("the written config loads");
}

#[test]
fn an_invalid_tier_stops_the_scan_and_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[tool]]\nid = \"fn:x\"\ntier = \"dangerous\"\n",
    )
    .unwrap();
    let out = aibom().arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid tier `dangerous`"), "{stderr}");
    assert!(stderr.contains("aibom.toml:3:8"), "{stderr}");
}

/// An MCP config entry that is a string or an array is not a server: no provider is
/// inventoried, and BOM001 warns at the entry.
#[test]
fn an_mcp_config_entry_that_is_not_an_object_is_reported_not_inventoried() {
    let case = root().join("fixtures/rules/BOM001/fail-mcp-server-not-an-object");
    let result = scan(ScanOptions::new(&case)).unwrap();
    assert!(
        result.inventory.agent_tools.is_empty(),
        "{:?}",
        result.inventory.agent_tools.keys()
    );
    let warnings: Vec<(&str, Option<u32>)> = result
        .findings
        .iter()
        .filter(|f| f.code == "BOM001")
        .map(|f| {
            let line = f.location.as_ref().and_then(|l| l.span).map(|s| s.line);
            (f.subject.as_str(), line)
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (".mcp.json:server:acme-files", Some(3)),
            (".mcp.json:server:acme-search", Some(4))
        ]
    );
}

/// A TypeScript file that receives its MCP server as a parameter gives its tools to the
/// server constructed in the file that imports it, else to the one server of its package;
/// with no server in its package the tool keeps a provider named after its file.
#[test]
fn tools_registered_on_a_server_received_as_a_parameter_belong_to_that_server() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    let register = |name: &str| {
        format!(
            "import type {{ McpServer }} from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
             export function registerTools(server: McpServer) {{\n\
             \x20 server.registerTool(\"{name}\", {{ annotations: {{ readOnlyHint: true }} }}, async () => ({{ content: [] }}));\n\
             }}\n"
        )
    };
    write("files/package.json", "{\"name\": \"acme-files-mcp\"}\n");
    write(
        "files/src/index.ts",
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
         import { registerAll } from \"./tools/index.js\";\n\
         const server = new McpServer({ name: \"acme-files\", version: \"1.0.0\" });\n\
         registerAll(server);\n",
    );
    write(
        "files/src/tools/index.ts",
        "import { registerTools } from \"./search.js\";\nexport const registerAll = (s) => registerTools(s);\n",
    );
    write("files/src/tools/search.ts", &register("search_files"));
    // Loaded by name at run time: no import leads to it.
    write("files/src/plugins/stat.ts", &register("stat_file"));
    write("lonely/package.json", "{\"name\": \"acme-lonely\"}\n");
    write("lonely/ping.ts", &register("ping"));

    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let inv = &result.inventory;
    let ids: Vec<&str> = inv.agent_tools.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "mcp:acme-files",
            "mcp:acme-files/search_files",
            "mcp:acme-files/stat_file",
            "mcp:ping",
            "mcp:ping/ping"
        ]
    );
    let provides: Vec<(&str, &str)> = inv
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::ProvidesTool)
        .map(|r| (r.from.as_str(), r.to.as_str()))
        .collect();
    assert!(provides.contains(&(
        "tool-provider:mcp:acme-files",
        "tool:mcp:acme-files/search_files"
    )));
    let owner = inv
        .files
        .iter()
        .find(|f| f.path == "files/src/tools/search.ts")
        .and_then(|f| f.component.as_deref());
    assert_eq!(owner, Some("tool-provider:mcp:acme-files"));
    assert_eq!(
        inv.agent_tools["mcp:acme-files/search_files"].tier,
        Tier::Read
    );
}

/// Low-level TypeScript MCP servers list their tools from a `ListToolsRequestSchema` handler:
/// written in the handler, in a `const TOOLS: Tool[]`, or as one constant per tool, in this
/// file or in the modules it imports the handler or the list from (ES modules or CommonJS), or
/// as the values or keys of a constant object (`Object.values(TOOLS)`). Each tool
/// belongs to the server the file constructs, with the line where its object names it; a
/// prompts handler, and a tools handler in a comment or a string, list nothing.
#[test]
fn low_level_typescript_servers_list_their_tools() {
    let case = root().join("fixtures/mcp-low-level");
    let result = scan(ScanOptions::new(&case)).unwrap();
    let inv = &result.inventory;
    let found: Vec<(&str, Option<&str>, Tier, &str, u32)> = inv
        .agent_tools
        .values()
        .filter(|t| !t.is_provider)
        .map(|t| {
            let at = t.location().expect("defined somewhere");
            (
                t.id.as_str(),
                t.provider.as_deref(),
                t.tier,
                at.path.as_str(),
                at.span.expect("a line").line,
            )
        })
        .collect();
    let billing = Some("mcp:acme-billing");
    // Defined in a module of their own, for the server of the file that imports it.
    let browser = Some("mcp:acme-browser");
    let files = Some("mcp:acme-files");
    // Listed by a handler imported from another module, from an array re-exported by a third.
    let ledger = Some("mcp:acme-ledger");
    let ledger_tools = "imported-handler/tools/definitions.ts";
    let mail = Some("mcp:acme-mail");
    let constants = "tool-constants/index.ts";
    // The values of a constant object, mapped keeping their names; another object's tools
    // named by their keys.
    let desk = Some("mcp:acme-desk");
    let reports = Some("mcp:acme-reports");
    // CommonJS: the handler and the array from modules exporting them through
    // `module.exports` and `exports.X`.
    let notes = Some("mcp:acme-notes");
    let notes_tools = "commonjs/lib/tools.js";
    assert_eq!(
        found,
        [
            (
                "mcp:acme-billing/lookup_invoice",
                billing,
                Tier::Read,
                constants,
                15
            ),
            (
                "mcp:acme-billing/refund_invoice",
                billing,
                Tier::Financial,
                constants,
                22
            ),
            (
                "mcp:acme-browser/delete_cookies",
                browser,
                Tier::WriteIrreversible,
                "tool-module/tools.ts",
                19
            ),
            (
                "mcp:acme-browser/open_page",
                browser,
                Tier::Read,
                "tool-module/tools.ts",
                9
            ),
            (
                "mcp:acme-desk/close_ticket",
                desk,
                Tier::ExternalSend,
                "object-of-tools/index.ts",
                7
            ),
            (
                "mcp:acme-desk/lookup_ticket",
                desk,
                Tier::Read,
                "object-of-tools/index.ts",
                15
            ),
            (
                "mcp:acme-files/purge_file",
                files,
                Tier::WriteIrreversible,
                "inline/index.ts",
                29
            ),
            (
                "mcp:acme-files/read_file",
                files,
                Tier::Read,
                "inline/index.ts",
                19
            ),
            (
                "mcp:acme-ledger/get_balance",
                ledger,
                Tier::Read,
                ledger_tools,
                8
            ),
            (
                "mcp:acme-ledger/void_entry",
                ledger,
                Tier::WriteIrreversible,
                ledger_tools,
                17
            ),
            (
                "mcp:acme-mail/list_inbox",
                mail,
                Tier::Read,
                "tools-array/index.ts",
                11
            ),
            (
                "mcp:acme-mail/send_reply",
                mail,
                Tier::ExternalSend,
                "tools-array/index.ts",
                17
            ),
            (
                "mcp:acme-notes/delete_note",
                notes,
                Tier::WriteIrreversible,
                notes_tools,
                9
            ),
            (
                "mcp:acme-notes/read_note",
                notes,
                Tier::Read,
                notes_tools,
                3
            ),
            (
                "mcp:acme-reports/report_status",
                reports,
                Tier::Read,
                "object-of-tools/index.ts",
                36
            ),
            (
                "mcp:acme-reports/send_report",
                reports,
                Tier::ExternalSend,
                "object-of-tools/index.ts",
                31
            ),
        ]
    );
    let providers: Vec<&str> = inv
        .agent_tools
        .values()
        .filter(|t| t.is_provider)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(
        providers,
        [
            "mcp:acme-billing",
            "mcp:acme-browser",
            "mcp:acme-desk",
            "mcp:acme-files",
            "mcp:acme-ledger",
            "mcp:acme-mail",
            "mcp:acme-notes",
            "mcp:acme-reports"
        ]
    );
    assert_eq!(
        inv.agent_tools["mcp:acme-ledger/void_entry"]
            .description
            .as_deref(),
        Some("Void a ledger entry for good.")
    );
    let send = &inv.agent_tools["mcp:acme-mail/send_reply"];
    assert_eq!(
        send.description.as_deref(),
        Some("Send a reply to a customer\u{2019}s message."),
        "escapes are decoded"
    );
    assert_eq!(send.location().unwrap().how, "mcp-list-tools");
    assert_eq!(
        inv.agent_tools["mcp:acme-files/purge_file"]
            .description
            .as_deref(),
        Some("Remove a file for good: there is no trash can.")
    );

    // The JSON report carries the same tools, tiers and lines.
    let out = aibom()
        .args(["scan", "--format", "json"])
        .arg(&case)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let components = report["components"].as_array().unwrap();
    let refund = components
        .iter()
        .find(|c| c["id"] == "tool:mcp:acme-billing/refund_invoice")
        .expect("the refund tool is a component");
    assert_eq!(refund["properties"]["inferred_tier"], "financial");
    assert_eq!(refund["properties"]["defined_in"][0], "mcp-list-tools");
    let unregistered: Vec<(&str, &str, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "TOOL001" && f["subject"].as_str().unwrap().contains('/'))
        .map(|f| {
            (
                f["subject"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["span"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        unregistered.contains(&("mcp:acme-billing/refund_invoice", constants, 22)),
        "{unregistered:?}"
    );
    assert_eq!(unregistered.len(), 16, "{unregistered:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for absent in [
        "acme-prompts",
        "wipe_prompts",
        "reset_prompts",
        "drop_prompts",
        "export_",
    ] {
        assert!(!text.contains(absent), "{absent} is no tool");
    }
}

/// Semantic Kernel's `@kernel_function` plugin methods are function tools, named by `name=` or
/// after the method, described by `description=` or the docstring; other methods are not tools.
#[test]
fn semantic_kernel_functions_are_tools() {
    let case = root().join("fixtures/semantic-kernel");
    let result = scan(ScanOptions::new(&case)).unwrap();
    let found: Vec<(&str, Tier, &str, u32)> = result
        .inventory
        .agent_tools
        .values()
        .map(|t| {
            let at = t.location().expect("defined somewhere");
            (t.id.as_str(), t.tier, at.how, at.span.expect("a line").line)
        })
        .collect();
    let how = "semantic-kernel-function";
    assert_eq!(
        found,
        [
            ("fn:get_order", Tier::Read, how, 12),
            ("fn:refund_order", Tier::Financial, how, 19),
            ("fn:send_receipt", Tier::ExternalSend, how, 23),
        ]
    );
    let tools = &result.inventory.agent_tools;
    assert_eq!(
        tools["fn:send_receipt"].description.as_deref(),
        Some("Email the receipt of an order to the customer.")
    );
    assert!(tools.values().all(|t| t.provider.is_none()));
    let unregistered = tool_findings(&case);
    assert_eq!(unregistered.len(), 3, "{unregistered:#?}");
}

/// The tools (id, file, line) of a scan of `dir`, providers left out.
fn tools_with_lines(dir: &Path) -> Vec<(String, String, u32)> {
    let result = scan(ScanOptions::new(dir)).unwrap();
    result
        .inventory
        .agent_tools
        .values()
        .filter(|t| !t.is_provider)
        .map(|t| {
            let at = t.location().expect("defined somewhere");
            (t.id.clone(), at.path.clone(), at.span.expect("a line").line)
        })
        .collect()
}

/// A tool registration, server construction or import that starts in a comment or a string
/// (a commented-out tool, a snippet in a README string or a template literal, a docstring)
/// declares nothing; the live declarations beside them keep their lines.
#[test]
fn tools_in_comments_and_strings_are_not_tools() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write(
        "ops/server.ts",
        r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

const server = new McpServer({ name: "acme-ops", version: "1.0.0" });
// const server = new McpServer({ name: "acme-old-ops", version: "0.1.0" });

// server.registerTool("acme_delete", { annotations: { destructiveHint: true } }, async () => ({ content: [] }));
server.registerTool("acme_status", { annotations: { readOnlyHint: true } }, async () => ({ content: [] }));
/*
server.registerTool("acme_purge", { description: "Purge every record" }, async () => ({ content: [] }));
server.tool("acme_wipe", async () => ({ content: [] }));
*/
const readme = `
Register a tool of your own:

    server.registerTool("acme_drop_table", { description: "Drop a table" }, handler);
`;
const hint = "server.tool('acme_in_string', async () => ({}))";
server.tool("acme_ping", "Ping the service", async () => ({ content: [] })); // server.tool("acme_after", …)
"#,
    );
    write(
        "notes/server.py",
        r#"from mcp.server.fastmcp import FastMCP
from langchain_community.tools import ShellTool

mcp = FastMCP("acme-notes")
# mcp = FastMCP("acme-old-notes")

# @mcp.tool()
# def delete_note(note_id: str) -> str:
#     return note_id


@mcp.tool()  # @tool
def add_note(text: str) -> str:
    """Add a note. Example: `agent = make(tools=[ShellTool()])`."""
    return text

# agent = make(tools=[ShellTool()])
"#,
    );
    let found = tools_with_lines(dir.path());
    let at = |id: &str, path: &str, line: u32| (id.to_owned(), path.to_owned(), line);
    assert_eq!(
        found,
        [
            at("mcp:acme-notes/add_note", "notes/server.py", 13),
            at("mcp:acme-ops/acme_ping", "ops/server.ts", 18),
            at("mcp:acme-ops/acme_status", "ops/server.ts", 7),
        ]
    );
}

/// A tool file that imports its server through a TypeScript path alias of its `tsconfig.json`,
/// or through a Python absolute import of its own package, belongs to that server even when
/// its package constructs two.
#[test]
fn servers_imported_through_path_aliases_and_package_imports() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("web/package.json", "{\"name\": \"acme-web\"}\n");
    write(
        "web/tsconfig.json",
        r#"{
  // Aliases for the app's own modules.
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@/*": ["src/*"], },
  },
}
"#,
    );
    write(
        "web/src/server.ts",
        r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export const server = new McpServer({ name: "acme-billing", version: "1.0.0" });
"#,
    );
    write(
        "web/src/admin.ts",
        r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export const admin = new McpServer({ name: "acme-admin", version: "1.0.0" });
admin.registerTool("reset_cache", { annotations: { readOnlyHint: false } }, async () => ({ content: [] }));
"#,
    );
    write(
        "web/src/tools/refund.ts",
        r#"import { server } from "@/server";

server.registerTool("refund_invoice", { description: "Refund an invoice" }, async () => ({ content: [] }));
"#,
    );
    write("py/pyproject.toml", "[project]\nname = \"acme-pkg\"\n");
    write("py/src/acme_pkg/__init__.py", "");
    write(
        "py/src/acme_pkg/billing_server.py",
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-py-billing\")\n",
    );
    write(
        "py/src/acme_pkg/support_server.py",
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-py-support\")\n\n\
         @mcp.tool()\ndef open_ticket(subject: str) -> str:\n    return subject\n",
    );
    write(
        "py/src/acme_pkg/tools/refunds.py",
        "from acme_pkg.billing_server import mcp\n\n\n\
         @mcp.tool()\ndef issue_refund(order_id: str) -> str:\n    return order_id\n",
    );
    let found = tools_with_lines(dir.path());
    let at = |id: &str, path: &str, line: u32| (id.to_owned(), path.to_owned(), line);
    assert_eq!(
        found,
        [
            at("mcp:acme-admin/reset_cache", "web/src/admin.ts", 3),
            at(
                "mcp:acme-billing/refund_invoice",
                "web/src/tools/refund.ts",
                3
            ),
            at(
                "mcp:acme-py-billing/issue_refund",
                "py/src/acme_pkg/tools/refunds.py",
                5
            ),
            at(
                "mcp:acme-py-support/open_ticket",
                "py/src/acme_pkg/support_server.py",
                6
            ),
        ]
    );

    // `--staged`: the tool file staged alone reads the `tsconfig.json` above it from the index.
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index
        .remove_path(Path::new("web/src/tools/refund.ts"))
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("CI", "ci@example.com").unwrap();
    repo.commit(Some("HEAD"), &me, &me, "init", &tree, &[])
        .unwrap();
    index
        .add_path(Path::new("web/src/tools/refund.ts"))
        .unwrap();
    index.write().unwrap();
    let mut options = ScanOptions::new(dir.path());
    options.changes = ChangeScope::Staged;
    let staged = scan(options).unwrap();
    let ids: Vec<&str> = staged
        .inventory
        .agent_tools
        .keys()
        .map(String::as_str)
        .collect();
    assert!(ids.contains(&"mcp:acme-billing/refund_invoice"), "{ids:?}");
}

/// Go MCP servers, one per SDK: each tool under the server its package, or a package that
/// imports it through `go.mod`'s module path, constructs (a server named by a constant of
/// another file of its package; a tool named and described by such constants, one built by a
/// helper function of its file); tiers from annotations and names;
/// TOOL001 for the tools and servers the registry does not name, TOOL002 for an entry below
/// its tool's tier, silence for the rest. Tools in comments, in `_test.go` files and under
/// `vendor/` are not read.
#[test]
fn go_mcp_servers_provide_their_tools() {
    let case = root().join("fixtures/agent-go");
    let result = scan(ScanOptions::new(&case)).unwrap();
    let inv = &result.inventory;
    let how = "go-mcp-tool";
    assert!(
        inv.agent_tools
            .values()
            .filter(|t| !t.is_provider)
            .all(|t| t.location().is_some_and(|at| at.how == how))
    );
    let found: Vec<(&str, Option<&str>, Tier, &str, u32)> = inv
        .agent_tools
        .values()
        .filter(|t| !t.is_provider)
        .map(|t| {
            let at = t.location().expect("defined somewhere");
            (
                t.id.as_str(),
                t.provider.as_deref(),
                t.tier,
                at.path.as_str(),
                at.span.expect("a line").line,
            )
        })
        .collect();
    let (billing, ops) = (Some("mcp:acme-billing"), Some("mcp:acme-ops"));
    let (main, records) = ("cmd/billing/main.go", "internal/records/records.go");
    let flush_go = "internal/records/flush.go";
    assert_eq!(
        found,
        [
            (
                "mcp:acme-billing/list_invoices",
                billing,
                Tier::Read,
                main,
                19
            ),
            (
                "mcp:acme-billing/refund_invoice",
                billing,
                Tier::Financial,
                main,
                25
            ),
            (
                "mcp:acme-ops/archive_record",
                ops,
                Tier::WriteIrreversible,
                records,
                31
            ),
            (
                "mcp:acme-ops/delete_record",
                ops,
                Tier::WriteIrreversible,
                records,
                25
            ),
            ("mcp:acme-ops/export_records", ops, Tier::Read, records, 36),
            (
                "mcp:acme-ops/flush_cache",
                ops,
                Tier::WriteReversible,
                flush_go,
                11
            ),
            ("mcp:acme-ops/lookup_record", ops, Tier::Read, records, 19),
        ]
    );
    let providers: Vec<&str> = inv
        .agent_tools
        .values()
        .filter(|t| t.is_provider)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(providers, ["mcp:acme-billing", "mcp:acme-ops"]);
    let tools = &inv.agent_tools;
    assert_eq!(
        tools["mcp:acme-ops/delete_record"].description.as_deref(),
        Some("Delete a record for good."),
        "the default text of a translation helper"
    );
    assert_eq!(
        tools["mcp:acme-ops/archive_record"].description.as_deref(),
        Some("Move a record to the archive; it can be restored."),
        "a constant of another file of the package"
    );
    assert_eq!(
        tools["mcp:acme-ops/export_records"].description.as_deref(),
        Some("Export the records as CSV."),
        "what the call passes for the helper's parameter"
    );
    let flush = tools["mcp:acme-ops/flush_cache"].annotations.unwrap();
    assert_eq!(
        (flush.read_only, flush.destructive, flush.open_world),
        (Some(false), Some(false), Some(false))
    );
    let owner = inv
        .files
        .iter()
        .find(|f| f.path == flush_go)
        .and_then(|f| f.component.as_deref());
    assert_eq!(owner, Some("tool-provider:mcp:acme-ops"));

    let mut findings = tool_findings(&case);
    findings.sort();
    let finding = |code: &str, subject: &str| (code.to_owned(), subject.to_owned());
    assert_eq!(
        findings,
        [
            finding("TOOL001", "mcp:acme-billing"),
            finding("TOOL001", "mcp:acme-billing/refund_invoice"),
            finding("TOOL001", "mcp:acme-ops"),
            finding("TOOL001", "mcp:acme-ops/archive_record"),
            finding("TOOL001", "mcp:acme-ops/export_records"),
            finding("TOOL001", "mcp:acme-ops/flush_cache"),
            finding("TOOL002", "mcp:acme-ops/delete_record:write-reversible"),
        ]
    );

    // The JSON report carries the same tools, where they are defined and the findings' lines.
    let out = aibom()
        .args(["scan", "--format", "json"])
        .arg(&case)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let components = report["components"].as_array().unwrap();
    let flush = components
        .iter()
        .find(|c| c["id"] == "tool:mcp:acme-ops/flush_cache")
        .expect("the flush tool is a component");
    assert_eq!(flush["properties"]["inferred_tier"], "write-reversible");
    assert_eq!(flush["properties"]["defined_in"][0], how);
    let located: Vec<(&str, &str, &str, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("TOOL"))
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["span"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        located.contains(&("TOOL001", "mcp:acme-billing/refund_invoice", main, 25)),
        "{located:?}"
    );
    assert!(
        located.contains(&("TOOL001", "mcp:acme-ops/flush_cache", flush_go, 11)),
        "{located:?}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for absent in [
        "drop_all_records",
        "wipe_archive",
        "erase_test_fixtures",
        "acme-test",
        "kill_process",
    ] {
        assert!(!text.contains(absent), "{absent} is no tool");
    }
}

/// `--staged`: a Go tool file staged alone, beside the file of its package that constructs the
/// server, gets that server's name.
#[test]
fn a_staged_go_tool_file_finds_the_server_of_its_package() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/agent-go"), dir.path());
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("CI", "ci@example.com").unwrap();
    repo.commit(Some("HEAD"), &me, &me, "init", &tree, &[])
        .unwrap();
    write_file(
        dir.path(),
        "cmd/opsbot/status.go",
        "package main\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\n\
         func registerStatus(s *server.MCPServer) {\n\
         \ts.AddTool(mcp.NewTool(\"job_status\", mcp.WithReadOnlyHintAnnotation(true)), status)\n}\n",
    );
    index.add_path(Path::new("cmd/opsbot/status.go")).unwrap();
    index.write().unwrap();
    let mut options = ScanOptions::new(dir.path());
    options.changes = ChangeScope::Staged;
    let staged = scan(options).unwrap();
    let ids: Vec<&str> = staged
        .inventory
        .agent_tools
        .keys()
        .map(String::as_str)
        .collect();
    assert!(ids.contains(&"mcp:acme-ops/job_status"), "{ids:?}");
    assert_eq!(
        staged.inventory.agent_tools["mcp:acme-ops/job_status"].tier,
        Tier::Read
    );
}

/// C# agent tools: the MCP SDK's `[McpServerTool]` methods, named as the SDK names them, belong
/// to the server their project builds (named by its `ServerInfo`, else after the project's
/// assembly), and the tools of a class library to the server that registers their class by
/// type (`WithTools<T>()`, or in an extension method on `IMcpServerBuilder` that a server's
/// builder calls: `mcp.WithShippingTools()`), a partial method described by its XML documentation comment as the
/// SDK's generator describes it; Semantic Kernel's `[KernelFunction]` methods are function
/// tools. Registered tools are silent, the others are TOOL001, and the refund tool registered
/// as read is TOOL002; a tool in a comment, a verbatim string or `obj/` build output is no
/// tool.
#[test]
fn csharp_tools_are_inventoried_and_checked_against_the_registry() {
    let case = root().join("fixtures/agent-csharp");
    let found = tools_with_lines(&case);
    let at = |id: &str, path: &str, line: u32| (id.to_owned(), path.to_owned(), line);
    let ops = "src/Acme.Ops/Tools/OrderTools.cs";
    let notes = "src/Acme.Notes/Program.cs";
    let billing = "src/Acme.Agent/Plugins/BillingPlugin.cs";
    let stock = "src/Acme.Stock/StockTools.cs";
    let shipping = "src/Acme.Shipping/ShippingTools.cs";
    assert_eq!(
        found,
        [
            at("fn:GetInvoice", billing, 10),
            at("fn:refund_invoice", billing, 15),
            at("mcp:Acme.Notes/delete_note", notes, 22),
            at("mcp:Acme.Notes/list_notes", notes, 18),
            at("mcp:Acme.Notes/schedule_pickup", shipping, 16),
            at("mcp:Acme.Notes/track_parcel", shipping, 10),
            at("mcp:acme-ops/get_order", ops, 19),
            at("mcp:acme-ops/list_orders", ops, 35),
            at("mcp:acme-ops/refund_order", ops, 27),
            at("mcp:acme-ops/reserve_stock", stock, 14),
            at(
                "mcp:acme-ops/send_receipt",
                "src/Acme.Ops/Tools/MailTools.cs",
                11
            ),
            at("mcp:acme-ops/stock_level", stock, 18),
        ]
    );

    let out = aibom()
        .args(["scan", "--format", "json"])
        .arg(&case)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tools: Vec<(&str, &str, &str)> = report["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"].as_str().unwrap().starts_with("tool"))
        .map(|c| {
            let properties = &c["properties"];
            (
                c["id"].as_str().unwrap(),
                properties["inferred_tier"].as_str().unwrap(),
                properties["defined_in"][0].as_str().unwrap(),
            )
        })
        .collect();
    let (mcp, kernel, server) = (
        "csharp-mcp-server-tool",
        "semantic-kernel-function",
        "mcp-server-code",
    );
    assert_eq!(
        tools,
        [
            ("tool-provider:mcp:Acme.Notes", "write-irreversible", server),
            ("tool-provider:mcp:acme-ops", "financial", server),
            ("tool:fn:GetInvoice", "read", kernel),
            ("tool:fn:refund_invoice", "financial", kernel),
            ("tool:mcp:Acme.Notes/delete_note", "write-irreversible", mcp),
            ("tool:mcp:Acme.Notes/list_notes", "read", mcp),
            (
                "tool:mcp:Acme.Notes/schedule_pickup",
                "write-irreversible",
                mcp
            ),
            ("tool:mcp:Acme.Notes/track_parcel", "read", mcp),
            ("tool:mcp:acme-ops/get_order", "read", mcp),
            ("tool:mcp:acme-ops/list_orders", "write-reversible", mcp),
            ("tool:mcp:acme-ops/refund_order", "financial", mcp),
            ("tool:mcp:acme-ops/reserve_stock", "write-irreversible", mcp),
            ("tool:mcp:acme-ops/send_receipt", "write-irreversible", mcp),
            ("tool:mcp:acme-ops/stock_level", "read", mcp),
        ]
    );
    let mut findings: Vec<(&str, &str, &str, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["span"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    findings.sort();
    assert_eq!(
        findings,
        [
            ("TOOL001", "fn:refund_invoice", billing, 15),
            ("TOOL001", "mcp:Acme.Notes", notes, 22),
            ("TOOL001", "mcp:Acme.Notes/delete_note", notes, 22),
            ("TOOL001", "mcp:Acme.Notes/list_notes", notes, 18),
            ("TOOL001", "mcp:Acme.Notes/schedule_pickup", shipping, 16),
            ("TOOL001", "mcp:Acme.Notes/track_parcel", shipping, 10),
            ("TOOL001", "mcp:acme-ops", ops, 19),
            ("TOOL001", "mcp:acme-ops/list_orders", ops, 35),
            ("TOOL001", "mcp:acme-ops/reserve_stock", stock, 14),
            (
                "TOOL001",
                "mcp:acme-ops/send_receipt",
                "src/Acme.Ops/Tools/MailTools.cs",
                11
            ),
            ("TOOL001", "mcp:acme-ops/stock_level", stock, 18),
            (
                "TOOL002",
                "mcp:acme-ops/refund_order:read",
                "aibom.toml",
                13
            ),
        ]
    );
    let refund = report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "tool:mcp:acme-ops/refund_order")
        .unwrap();
    let properties = &refund["properties"];
    assert_eq!(
        properties["description"],
        "Refund an order to the card it was paid with."
    );
    assert_eq!(properties["annotations"]["destructive"], true);
    let description = |id: &str| {
        report["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["properties"]["description"]
            .clone()
    };
    assert_eq!(
        description("tool:mcp:acme-ops/reserve_stock"),
        "Reserve units of a product for an order & hold them until the order ships."
    );
    assert_eq!(
        description("tool:mcp:acme-ops/stock_level"),
        serde_json::Value::Null
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for absent in [
        "drop_orders",
        "purge_orders",
        "wipe_all",
        "acme-orders",
        "fn:Format",
    ] {
        assert!(!text.contains(absent), "{absent} is no tool");
    }
}

/// A C# project's unnamed MCP server takes the project's `<AssemblyName>`, for the tools of
/// every file of the project; a class library that builds no server leaves its tools to a
/// server named after their file, and so does a `.cs` file outside any project whose package
/// builds a TypeScript server only.
#[test]
fn csharp_servers_are_found_by_project() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    let tool = |name: &str| {
        format!(
            "using ModelContextProtocol.Server;\n\n[McpServerToolType]\npublic static class Tools\n{{\n\
             \x20   [McpServerTool(ReadOnly = true)]\n    public static string {name}() => \"\";\n}}\n"
        )
    };
    write(
        "billing/Billing.Server.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <AssemblyName>acme-billing</AssemblyName>\n  </PropertyGroup>\n</Project>\n",
    );
    write(
        "billing/Program.cs",
        "var builder = WebApplication.CreateBuilder(args);\n\
         builder.Services.AddMcpServer().WithHttpTransport().WithToolsFromAssembly();\n\
         builder.Build().MapMcp();\n",
    );
    write("billing/Tools/InvoiceTools.cs", &tool("GetInvoiceTotal"));
    write(
        "shared/Acme.Shared.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk\" />\n",
    );
    write("shared/SharedTools.cs", &tool("Ping"));
    write("scripts/Lookup.cs", &tool("LookupCustomer"));
    write(
        "support/server.ts",
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\
         const server = new McpServer({ name: \"acme-support\", version: \"1.0.0\" });\n",
    );
    let found: Vec<String> = tools_with_lines(dir.path())
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    assert_eq!(
        found,
        [
            "mcp:Lookup/lookup_customer",
            "mcp:SharedTools/ping",
            "mcp:acme-billing/get_invoice_total",
        ]
    );
}

/// Python servers built by a factory function or a `FastMCP` subclass: the tools decorated on
/// the factory's result (in its file or in one that imports the factory), registered by a
/// handler the server's file hands itself to, or by the subclass on `self`, belong to the
/// server the factory or class names; a test that builds its own server for the handler is no
/// candidate beside it.
#[test]
fn python_servers_built_by_factories_and_subclasses_provide_their_tools() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("ops/pyproject.toml", "[project]\nname = \"acme-ops-pkg\"\n");
    write(
        "ops/acme_ops/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom .handlers import Handler\n\n\
         def create_server() -> FastMCP:\n    return FastMCP(\n        'acme-ops',\n    )\n\n\
         app = create_server()\nHandler(app)\n\n\
         @app.tool()\ndef status() -> str:\n    \"\"\"Report status.\"\"\"\n    return 'ok'\n",
    );
    write(
        "ops/acme_ops/handlers.py",
        "from mcp.server.fastmcp import Context\n\n\
         async def restart(ctx: Context, service: str) -> str:\n    return service\n\n\
         def Handler(mcp) -> None:\n    mcp.tool(name='restart_service')(restart)\n",
    );
    write(
        "ops/acme_ops/cli/extra.py",
        "from ..server import create_server as make_server\n\n\
         extra = make_server()\n\n@extra.tool(description='Drain the queue.')\n\
         def drain() -> str:\n    return 'drained'\n",
    );
    write(
        "ops/tests/test_handlers.py",
        "import pytest\nfrom mcp.server.fastmcp import FastMCP\n\
         from acme_ops.handlers import Handler\n\n\
         @pytest.mark.anyio\nasync def test_restart():\n    Handler(FastMCP('acme-test'))\n",
    );
    write(
        "billing/billing.py",
        "from mcp.server.fastmcp import FastMCP\n\n\
         class BillingServer(FastMCP):\n    def __init__(self):\n        \
         super().__init__(name='acme-billing')\n        self.tool()(self.refund)\n\n    \
         async def refund(self, order: str) -> str:\n        return order\n\n\
         server = BillingServer()\n\n@server.tool()\ndef invoice() -> str:\n    return 'sent'\n",
    );

    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let ids: Vec<&str> = result
        .inventory
        .agent_tools
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        ids,
        [
            "mcp:acme-billing",
            "mcp:acme-billing/invoice",
            "mcp:acme-billing/refund",
            "mcp:acme-ops",
            "mcp:acme-ops/drain",
            "mcp:acme-ops/restart_service",
            "mcp:acme-ops/status",
        ]
    );
}

/// The ids of the agent tools of a scan of `dir`.
fn tool_ids(dir: &Path) -> Vec<String> {
    let result = scan(ScanOptions::new(dir)).unwrap();
    result.inventory.agent_tools.into_keys().collect()
}

/// Python servers reached through a package's `__init__.py` that re-exports them (the server
/// object, a server class, a factory; through a chain of re-exports), and classes derived in
/// one file from a server class of another, along a chain of files.
#[test]
fn python_servers_reexported_by_packages_and_derived_across_files_provide_their_tools() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    // Two servers in one package, so no package-wide fallback can pick one.
    write(
        "src/acme_pkg/server.py",
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('acme-billing')\n",
    );
    write(
        "src/acme_pkg/helpdesk.py",
        "from mcp.server.fastmcp import FastMCP\n\nsupport = FastMCP('acme-support')\n",
    );
    write(
        "src/acme_pkg/factory.py",
        "from mcp.server.fastmcp import FastMCP\n\n\
         def create_server():\n    return FastMCP('acme-factory')\n",
    );
    write(
        "src/acme_pkg/__init__.py",
        "\"\"\"Acme.\"\"\"\nfrom .server import mcp as mcp\nfrom .core import AcmeBaseServer\n\
         from acme_pkg.helpdesk import support\nfrom .factory import create_server\n",
    );
    write(
        "src/acme_pkg/core/__init__.py",
        "from .base import AcmeBaseServer\n",
    );
    write(
        "src/acme_pkg/core/base.py",
        "from mcp.server.fastmcp import FastMCP\n\n\
         class AcmeBaseServer(FastMCP):\n    def __init__(self):\n        super().__init__('acme-base')\n",
    );
    write(
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import mcp\n\n@mcp.tool()\ndef refund(order: str) -> str:\n    return order\n",
    );
    write(
        "src/acme_pkg/tools/tickets.py",
        "from mcp.server.fastmcp import Context\nfrom .. import support\n\n@support.tool()\ndef open_ticket() -> str:\n    return 'ok'\n",
    );
    write(
        "src/acme_pkg/tools/made.py",
        "from acme_pkg import create_server\n\napp = create_server()\n\n\
         @app.tool()\ndef made() -> str:\n    return 'ok'\n",
    );
    write(
        "src/acme_pkg/tools/based.py",
        "from acme_pkg import AcmeBaseServer\n\nserver = AcmeBaseServer()\n\n\
         @server.tool()\ndef based() -> str:\n    return 'ok'\n",
    );
    // Derived across files: `ext.py` from `base.py`, `audit.py` from `ext.py`.
    write(
        "src/acme_pkg/ext.py",
        "from .core.base import AcmeBaseServer\n\n\
         class AcmeExt(AcmeBaseServer):\n    def __init__(self):\n        super().__init__()\n        \
         self.tool()(self.void)\n\n    def void(self, order: str) -> str:\n        return order\n",
    );
    write(
        "src/acme_pkg/audit.py",
        "from .ext import AcmeExt\n\n\
         class AcmeAudit(AcmeExt):\n    def __init__(self):\n        super().__init__('acme-audit')\n\n        \
         @self.tool()\n        def audit() -> str:\n            return 'ok'\n",
    );
    // A class derived from one of a package that is not in the tree registers nothing.
    write(
        "src/acme_pkg/toolkit.py",
        "from acme_other import Toolkit\n\n\
         class Kit(Toolkit):\n    def __init__(self):\n        self.tool()(self.search)\n\n    \
         def search(self) -> str:\n        return 'x'\n",
    );

    assert_eq!(
        tool_ids(dir.path()),
        [
            "mcp:acme-audit",
            "mcp:acme-audit/audit",
            "mcp:acme-base",
            "mcp:acme-base/based",
            "mcp:acme-base/void",
            "mcp:acme-billing",
            "mcp:acme-billing/refund",
            "mcp:acme-factory",
            "mcp:acme-factory/made",
            "mcp:acme-support",
            "mcp:acme-support/open_ticket",
        ]
    );

    // Cycles of re-exports and of classes, and an `__init__.py` that imports itself, end at
    // once: their tools keep the servers named after their files.
    write(
        "loops/loop_pkg/__init__.py",
        "from loop_pkg import mcp
from .a import mcp
from .a import Left
",
    );
    write(
        "loops/loop_pkg/a.py",
        "from . import mcp
from .b import Left
",
    );
    write(
        "loops/loop_pkg/b.py",
        "from .a import Left
from .c import Right

class Left(Right):
    pass
",
    );
    write(
        "loops/loop_pkg/c.py",
        "from .b import Left

class Right(Left):
    pass
",
    );
    write(
        "loops/loop_pkg/tools.py",
        "from mcp.server.fastmcp import Context
from loop_pkg import mcp, Left

         @mcp.tool()
def ping() -> str:
    return 'pong'

         class Looped(Left):
    def __init__(self):
        self.tool()(self.spin)

             def spin(self) -> str:
        return 'x'
",
    );
    let ids = tool_ids(dir.path());
    let looped: Vec<&str> = (ids.iter().map(String::as_str))
        .filter(|id| id.contains("ping") || id.contains("spin"))
        .collect();
    assert_eq!(looped, ["mcp:tools/ping", "mcp:tools/spin"]);

    // `--staged`: the tool file staged alone reads the `__init__.py` and the server's module in
    // the directories above it.
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("CI", "ci@example.com").unwrap();
    repo.commit(Some("HEAD"), &me, &me, "init", &tree, &[])
        .unwrap();
    write(
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import mcp

@mcp.tool()
def refund_all() -> str:
    return 'ok'
",
    );
    index
        .add_path(Path::new("src/acme_pkg/tools/refund.py"))
        .unwrap();
    index.write().unwrap();
    let mut options = ScanOptions::new(dir.path());
    options.changes = ChangeScope::Staged;
    let staged = scan(options).unwrap();
    let ids: Vec<&str> = staged
        .inventory
        .agent_tools
        .keys()
        .map(String::as_str)
        .collect();
    assert!(ids.contains(&"mcp:acme-billing/refund_all"), "{ids:?}");
}

/// Python servers reached through a package's `__init__.py` that imports `*` from their
/// modules: the tool file's name is looked for in the modules that give it, as `__all__` lets
/// them; also with `--staged`.
#[test]
fn python_servers_reexported_by_star_imports_provide_their_tools() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    // Two servers in one package, so no package-wide fallback can pick one.
    write(
        "src/acme_pkg/server.py",
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-billing\")\n",
    );
    write(
        "src/acme_pkg/helpdesk.py",
        "from mcp.server.fastmcp import FastMCP\n\nsupport = FastMCP('acme-support')\n",
    );
    // Its `mcp` is not what `*` takes.
    write(
        "src/acme_pkg/legacy.py",
        "from mcp.server.fastmcp import FastMCP\n\n__all__ = [\"LEGACY\"]\n\n\
         LEGACY = True\nmcp = FastMCP('acme-legacy')\n",
    );
    write(
        "src/acme_pkg/__init__.py",
        "\"\"\"Acme.\"\"\"\nfrom .legacy import *\nfrom .server import *\nfrom .helpdesk import *\n",
    );
    write(
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import mcp\n\n@mcp.tool()\ndef refund(order: str) -> str:\n    return order\n",
    );
    write(
        "src/acme_pkg/tools/tickets.py",
        "from mcp.server.fastmcp import Context\nfrom .. import support\n\n\
         @support.tool()\ndef open_ticket() -> str:\n    return 'ok'\n",
    );
    assert_eq!(
        tool_ids(dir.path()),
        [
            "mcp:acme-billing",
            "mcp:acme-billing/refund",
            "mcp:acme-support",
            "mcp:acme-support/open_ticket",
        ]
    );

    // `--staged`: the tool file staged alone reads the `__init__.py` and the server's module in
    // the directories above it.
    let ids = scan_staged_after(
        dir.path(),
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import mcp\n\n@mcp.tool()\ndef refund_all() -> str:\n    return 'ok'\n",
    );
    assert!(
        ids.iter().any(|id| id == "mcp:acme-billing/refund_all"),
        "{ids:?}"
    );
}

/// Stage `path` with `text` after committing the tree of `dir`, and scan the staged files.
fn scan_staged_after(dir: &Path, path: &str, text: &str) -> Vec<String> {
    let repo = git2::Repository::init(dir).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("CI", "ci@example.com").unwrap();
    repo.commit(Some("HEAD"), &me, &me, "init", &tree, &[])
        .unwrap();
    write_file(dir, path, text);
    index.add_path(Path::new(path)).unwrap();
    index.write().unwrap();
    let mut options = ScanOptions::new(dir);
    options.changes = ChangeScope::Staged;
    let staged = scan(options).unwrap();
    staged.inventory.agent_tools.into_keys().collect()
}

/// A Python server built with a constant of another module (imported directly, or through a
/// package's `__init__.py`) is named by the constant's value, and so are the tools of other
/// files linked to it; a constant bound twice names nothing, and the server keeps its package's
/// name.
#[test]
fn python_servers_named_by_imported_constants() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("pyproject.toml", "[project]\nname = \"acme-billing-pkg\"\n");
    write(
        "src/acme_billing/config.py",
        "from typing import Final\n\nSERVER_NAME = \"acme-billing\"\n\
         SUPPORT_NAME: Final = 'acme-support'\n",
    );
    write(
        "src/acme_billing/__init__.py",
        "from .config import SERVER_NAME\n",
    );
    write(
        "src/acme_billing/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom acme_billing import SERVER_NAME\n\n\
         mcp = FastMCP(name=SERVER_NAME)\n\n@mcp.tool()\ndef refund(order: str) -> str:\n    return order\n",
    );
    write(
        "src/acme_billing/tools/invoices.py",
        "from ..server import mcp\n\n@mcp.tool()\ndef send_invoice() -> str:\n    return 'sent'\n",
    );
    write(
        "src/acme_billing/support.py",
        "from mcp.server.fastmcp import FastMCP\nfrom .config import SUPPORT_NAME\n\n\
         support = FastMCP(SUPPORT_NAME, instructions='Help.')\n\n\
         @support.tool()\ndef open_ticket() -> str:\n    return 'ok'\n",
    );
    write("ops/pyproject.toml", "[project]\nname = \"acme-ops-pkg\"\n");
    write(
        "ops/acme_ops/names.py",
        "NAME = \"acme-ops-a\"\nNAME = \"acme-ops-b\"\n",
    );
    write(
        "ops/acme_ops/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom .names import NAME\n\n\
         mcp = FastMCP(NAME)\n\n@mcp.tool()\ndef restart() -> str:\n    return 'ok'\n",
    );
    assert_eq!(
        tool_ids(dir.path()),
        [
            "mcp:acme-billing",
            "mcp:acme-billing/refund",
            "mcp:acme-billing/send_invoice",
            "mcp:acme-ops-pkg",
            "mcp:acme-ops-pkg/restart",
            "mcp:acme-support",
            "mcp:acme-support/open_ticket",
        ]
    );

    // `--staged`: the tool file staged alone reads the modules of the directories above it,
    // the constant's among them.
    let ids = scan_staged_after(
        dir.path(),
        "src/acme_billing/tools/invoices.py",
        "from ..server import mcp\n\n@mcp.tool()\ndef void_invoice() -> str:\n    return 'void'\n",
    );
    assert!(
        ids.contains(&"mcp:acme-billing/void_invoice".to_owned()),
        "{ids:?}"
    );
}

/// The ids of the tool components (`tool:…`) of `aibom scan --format json` on `dir`.
fn json_tool_ids(dir: &Path) -> Vec<String> {
    let out = aibom()
        .args(["scan", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<String> = (report["components"].as_array().unwrap().iter())
        .filter_map(|c| c["id"].as_str()?.strip_prefix("tool:").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// A Python server built with a constant reached as an attribute of a module the file imports
/// (`FastMCP(config.SERVER_NAME)` after `from . import config`) is named by the constant's
/// value, and so are its tools; also with `--staged`.
#[test]
fn python_servers_named_by_attributes_of_imported_modules() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("pyproject.toml", "[project]\nname = \"acme-billing-pkg\"\n");
    write(
        "src/acme_billing/__init__.py",
        "\"\"\"Acme billing.\"\"\"\n",
    );
    write(
        "src/acme_billing/config.py",
        "SERVER_NAME = \"acme-billing\"\n",
    );
    write(
        "src/acme_billing/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom . import config\n\n\
         mcp = FastMCP(config.SERVER_NAME)\n\n@mcp.tool()\ndef refund(order: str) -> str:\n    return order\n",
    );
    write(
        "src/acme_billing/tools/invoices.py",
        "from ..server import mcp\n\n@mcp.tool()\ndef send_invoice() -> str:\n    return 'sent'\n",
    );
    assert_eq!(
        json_tool_ids(dir.path()),
        ["mcp:acme-billing/refund", "mcp:acme-billing/send_invoice"]
    );

    // `--staged`: the tool file staged alone reads the modules of the directories above it.
    let ids = scan_staged_after(
        dir.path(),
        "src/acme_billing/tools/invoices.py",
        "from ..server import mcp\n\n@mcp.tool()\ndef void_invoice() -> str:\n    return 'void'\n",
    );
    assert!(
        ids.contains(&"mcp:acme-billing/void_invoice".to_owned()),
        "{ids:?}"
    );
}

/// A tool registered on a server object reached as an attribute of an imported module
/// (`@server.mcp.tool()` after `from acme_pkg import server`) is a tool of the server that
/// module builds; also with `--staged`.
#[test]
fn python_servers_reached_as_attributes_of_imported_modules_provide_their_tools() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    // Two servers in one package, so no package-wide fallback can pick one.
    write(
        "src/acme_pkg/server.py",
        "from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP(\"acme-billing\")\n",
    );
    write(
        "src/acme_pkg/helpdesk.py",
        "from mcp.server.fastmcp import FastMCP\n\nsupport = FastMCP('acme-support')\n",
    );
    write("src/acme_pkg/__init__.py", "\"\"\"Acme.\"\"\"\n");
    write(
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import server\n\n@server.mcp.tool()\ndef refund(order: str) -> str:\n    return order\n",
    );
    assert_eq!(json_tool_ids(dir.path()), ["mcp:acme-billing/refund"]);

    // `--staged`: the tool file staged alone reads the server's module above it.
    let ids = scan_staged_after(
        dir.path(),
        "src/acme_pkg/tools/refund.py",
        "from acme_pkg import server\n\n@server.mcp.tool()\ndef refund_all() -> str:\n    return 'ok'\n",
    );
    assert!(
        ids.iter().any(|id| id == "mcp:acme-billing/refund_all"),
        "{ids:?}"
    );
}

/// A TypeScript server built with a constant imported from another file (by name through a
/// re-export, a constant object's property, a namespace's member) is named by its value, and
/// so are the tools of other files linked to it; a constant not found names nothing.
#[test]
fn typescript_servers_named_by_imported_constants() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    let sdk = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n";
    write("billing/package.json", r#"{ "name": "acme-billing-pkg" }"#);
    write(
        "billing/src/names.ts",
        "export const SERVER_NAME = \"acme-billing\";\n",
    );
    write(
        "billing/src/index.ts",
        "export { SERVER_NAME } from \"./names.js\";\n",
    );
    write(
        "billing/src/server.ts",
        &format!(
            "{sdk}import {{ SERVER_NAME }} from \"./index.js\";\n\
             import {{ registerRefund }} from \"./tools/refund.js\";\n\n\
             const server = new McpServer({{ name: SERVER_NAME, version: \"1.0.0\" }});\n\
             registerRefund(server);\n\
             server.registerTool(\"ping\", {{ description: \"Ping.\" }}, async () => ({{ content: [] }}));\n"
        ),
    );
    write(
        "billing/src/tools/refund.ts",
        &format!(
            "{sdk}\nexport function registerRefund(server: McpServer) {{\n  \
             server.registerTool(\"refund\", {{ description: \"Refund.\" }}, async () => ({{ content: [] }}));\n}}\n"
        ),
    );
    write("files/package.json", r#"{ "name": "acme-files-pkg" }"#);
    write(
        "files/src/config.ts",
        "export const CONFIG = { name: \"acme-files\", version: \"1.0.0\" } as const;\n",
    );
    write(
        "files/src/server.ts",
        &format!(
            "{sdk}import {{ CONFIG }} from \"./config.js\";\n\n\
             const server = new McpServer({{ name: CONFIG.name, version: CONFIG.version }});\n\
             server.tool(\"read_file\", \"Read a file.\", async () => ({{ content: [] }}));\n"
        ),
    );
    write("ops/package.json", r#"{ "name": "acme-ops-pkg" }"#);
    write("ops/src/names.ts", "export const OPS = 'acme-ops';\n");
    write(
        "ops/src/server.ts",
        &format!(
            "{sdk}import * as names from \"./names.js\";\n\n\
             const server = new McpServer({{ name: names.OPS, version: \"1.0.0\" }});\n\
             server.tool(\"restart\", \"Restart.\", async () => ({{ content: [] }}));\n"
        ),
    );
    write("jobs/package.json", r#"{ "name": "acme-jobs-pkg" }"#);
    write("jobs/src/names.ts", "export const OTHER = 'acme-other';\n");
    write(
        "jobs/src/server.ts",
        &format!(
            "{sdk}import {{ MISSING }} from \"./names.js\";\n\n\
             const server = new McpServer({{ name: MISSING, version: \"1.0.0\" }});\n\
             server.tool(\"run_job\", \"Run.\", async () => ({{ content: [] }}));\n"
        ),
    );
    assert_eq!(
        tool_ids(dir.path()),
        [
            "mcp:acme-billing",
            "mcp:acme-billing/ping",
            "mcp:acme-billing/refund",
            "mcp:acme-files",
            "mcp:acme-files/read_file",
            "mcp:acme-jobs-pkg",
            "mcp:acme-jobs-pkg/run_job",
            "mcp:acme-ops",
            "mcp:acme-ops/restart",
        ]
    );
}

/// Go tools and servers named by exported constants of another package of the tree, imported
/// by path (`names.ToolRefund`); a constant the package does not bind leaves its tool out, and a
/// selector on a name of the file is no package's constant.
#[test]
fn go_tools_named_by_constants_of_an_imported_package() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("go.mod", "module github.com/acme/ops\n\ngo 1.22\n");
    write(
        "internal/names/names.go",
        "package names\n\nconst (\n\tServerName = \"acme-ops\"\n\tToolRefund = \"acme_refund\"\n\
         \tRefundDescription = \"Refund an order.\"\n)\n",
    );
    // Bound by two files of the package: no value.
    write(
        "internal/names/twice.go",
        "package names\n\nconst ToolTwice = \"acme_a\"\n",
    );
    write(
        "internal/names/again.go",
        "package names\n\nconst ToolTwice = \"acme_b\"\n",
    );
    write(
        "internal/names/names_test.go",
        "package names_test\n\nconst ToolTest = \"acme_test_only\"\n",
    );
    write(
        "cmd/opsbot/main.go",
        "package main\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n\
         \tn \"github.com/acme/ops/internal/names\"\n)\n\n\
         func main() {\n\ts := server.NewMCPServer(n.ServerName, \"1.0.0\")\n\
         \ts.AddTool(mcp.NewTool(n.ToolRefund, mcp.WithDescription(n.RefundDescription)), refund)\n\
         \ts.AddTool(mcp.NewTool(n.ToolMissing), missing)\n\
         \ts.AddTool(mcp.NewTool(n.ToolTest), missing)\n\
         \ts.AddTool(mcp.NewTool(n.ToolTwice), missing)\n\
         \tcfg := config{}\n\ts.AddTool(mcp.NewTool(cfg.Name), missing)\n}\n",
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let tools = &result.inventory.agent_tools;
    let ids: Vec<&str> = tools.keys().map(String::as_str).collect();
    assert_eq!(ids, ["mcp:acme-ops", "mcp:acme-ops/acme_refund"]);
    assert_eq!(
        tools["mcp:acme-ops/acme_refund"].description.as_deref(),
        Some("Refund an order.")
    );
}

/// An MCP server whose tools declare annotations, and tools whose names or missing hints still
/// decide their tier.
fn write_hinted_servers(root: &Path) {
    let tool = |name: &str, description: &str, annotations: &str| {
        format!(
            "server.registerTool(\n  \"{name}\",\n  {{\n    description: \"{description}\",\n    \
             inputSchema: {{}},{annotations}\n  }},\n  async () => ({{ content: [] }}),\n);\n"
        )
    };
    let mut ts = String::from(
        "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n\n\
         const server = new McpServer({ name: \"acme-desk\", version: \"1.0.0\" });\n\n",
    );
    for (name, description, annotations) in [
        (
            "find_customer",
            "Returns the email address and postal address kept for an Acme customer.",
            "\n    annotations: { readOnlyHint: true },",
        ),
        (
            "queue_export",
            "Queues an export that the client executes later; nothing is removed or sent.",
            "\n    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },",
        ),
        (
            "tidy_workspace",
            "Executes a shell command in the workspace.",
            "\n    annotations: { readOnlyHint: true },",
        ),
        (
            "rebuild_index",
            "Executes a shell command that rebuilds the index.",
            "\n    annotations: { readOnlyHint: false, destructiveHint: true },",
        ),
        (
            "run_shell",
            "Opens a session.",
            "\n    annotations: { readOnlyHint: true },",
        ),
        ("send_email", "Delivers a message to a customer.", ""),
        ("compact_store", "Executes a shell command.", ""),
    ] {
        ts.push('\n');
        ts.push_str(&tool(name, description, annotations));
    }
    write_file(root, "desk/server.ts", &ts);
    write_file(
        root,
        "history/server.py",
        "from mcp.server.fastmcp import FastMCP\nfrom mcp.types import ToolAnnotations\n\n\
         mcp = FastMCP(\"acme-history\")\n\n\n\
         @mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))\n\
         def list_training_runs(limit: int = 50) -> list[str]:\n    \
         \"\"\"List completed training runs, newest first.\"\"\"\n    return []\n",
    );
}

#[test]
fn declared_hints_outrank_description_words_but_not_names() {
    let dir = tempfile::tempdir().unwrap();
    write_hinted_servers(dir.path());
    let inv = scan(ScanOptions::new(dir.path())).unwrap().inventory;
    let tools = &inv.agent_tools;
    let tier = |id: &str| tools[id].tier;
    // Description words under a bounding hint are notes, not minimums.
    assert_eq!(tier("mcp:acme-desk/find_customer"), Tier::Read);
    assert_eq!(tier("mcp:acme-desk/queue_export"), Tier::WriteReversible);
    assert_eq!(tier("mcp:acme-desk/tidy_workspace"), Tier::Read);
    let notes: Vec<String> = tools["mcp:acme-desk/tidy_workspace"]
        .outranked_evidence()
        .map(|e| format!("{} / {:?}", e.reason, e.outranked_by))
        .collect();
    assert_eq!(
        notes,
        ["description contains \"execute\" / Some(\"readOnlyHint=true\")"]
    );
    // "runs" is a noun in a name led by `list`.
    assert_eq!(tier("mcp:acme-history/list_training_runs"), Tier::Read);
    assert_eq!(tier("mcp:acme-history"), Tier::Read);
    // Hints that bound nothing leave the description counting; names always count.
    assert_eq!(tier("mcp:acme-desk/rebuild_index"), Tier::Execute);
    assert_eq!(tier("mcp:acme-desk/run_shell"), Tier::Execute);
    assert_eq!(tier("mcp:acme-desk/send_email"), Tier::WriteIrreversible);
    assert!(
        tools["mcp:acme-desk/send_email"]
            .evidence
            .iter()
            .any(|e| e.counts() && e.reason == "name contains \"send\"")
    );
    assert_eq!(tier("mcp:acme-desk/compact_store"), Tier::Execute);

    // `aibom init` keeps the outranked words as a note under the entry.
    aibom().arg("init").arg(dir.path()).assert().success();
    let text = std::fs::read_to_string(dir.path().join("aibom.toml")).unwrap();
    assert!(
        text.contains(
            "id = \"mcp:acme-desk/tidy_workspace\"\ntier = \"read\"\n\
             # evidence: readOnlyHint=true (desk/server.ts:"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "# note: description contains \"execute\" (desk/server.ts:27) would say execute, \
             but readOnlyHint=true outranks it"
        ),
        "{text}"
    );
}

#[test]
fn tools_registered_at_their_annotated_tiers_pass_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    write_hinted_servers(dir.path());
    let mut registry = String::new();
    for (id, tier) in [
        ("mcp:acme-desk/find_customer", "read"),
        ("mcp:acme-desk/queue_export", "write-reversible"),
        ("mcp:acme-desk/tidy_workspace", "read"),
        ("mcp:acme-desk/rebuild_index", "execute"),
        ("mcp:acme-desk/run_shell", "execute"),
        ("mcp:acme-desk/send_email", "write-irreversible"),
        ("mcp:acme-desk/compact_store", "execute"),
        ("mcp:acme-desk", "execute"),
        ("mcp:acme-history/list_training_runs", "read"),
        ("mcp:acme-history", "read"),
    ] {
        let approval = if tier == "read" { "auto" } else { "human" };
        registry.push_str(&format!(
            "[[tool]]\nid = \"{id}\"\ntier = \"{tier}\"\nsystems = [\"acme-desk\"]\n\
             owner = \"acme-support\"\naudit_log = \"desk access log\"\nrollback = \"none\"\n\
             credential = \"DESK_TOKEN (scoped)\"\napproval = \"{approval}\"\nreviewed = 2026-01-01\n\n"
        ));
    }
    write_file(dir.path(), "aibom.toml", &registry);
    let findings = tool_findings(dir.path());
    assert!(findings.is_empty(), "{findings:#?}");

    // The command line agrees: no TOOL002, exit 0.
    let out = aibom().arg("scan").arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("TOOL002"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

/// `BaseTool` subclasses are named by the `name` their class body declares, not by a `name=`
/// inside a call of the body; a project's shared base that declares no name is no tool, and
/// the concrete tools derived from it, in its file or in others (through a package's
/// re-export), are, with their own or their base's name, description and tier.
#[test]
fn base_tool_subclasses_are_named_by_their_own_class_body() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write(
        "acme_tools/__init__.py",
        "from .sandbox import AcmeSandboxBase\n",
    );
    write(
        "acme_tools/sandbox.py",
        "from crewai.tools import BaseTool, EnvVar\n\n\n\
         class AcmeSandboxBase(BaseTool):\n    \
         env_vars: list[EnvVar] = [\n        EnvVar(name=\"ACME_API_KEY\", description=\"Key\"),\n    ]\n    \
         description: str = \"Works in the Acme sandbox.\"\n\n\n\
         class AcmeExecTool(AcmeSandboxBase):\n    \
         name: str = \"Acme Sandbox Exec\"\n    \
         description: str = \"Runs shell commands in a remote sandbox.\"\n",
    );
    write(
        "acme_tools/search.py",
        "from crewai.tools import BaseTool, EnvVar\n\n\n\
         class AcmeSearchTool(BaseTool):\n    \
         env_vars: list[EnvVar] = [\n        EnvVar(\n            name=\"ACME_API_KEY\",\n        ),\n    ]\n    \
         name: str = \"Acme Search\"\n    description: str = \"Searches the Acme catalogue.\"\n",
    );
    write(
        "acme_tools/extra/files.py",
        "from acme_tools import AcmeSandboxBase\n\n\n\
         class AcmeDeleteFiles(AcmeSandboxBase):\n    name = \"acme_delete_files\"\n\n\n\
         class AcmeListFiles(AcmeSandboxBase):\n    pass\n",
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let tools = &result.inventory.agent_tools;
    let found: Vec<(&str, Tier, &str, Option<&str>)> = tools
        .values()
        .map(|t| {
            let at = t.location().expect("defined somewhere");
            (
                t.id.as_str(),
                t.tier,
                at.path.as_str(),
                t.description.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "fn:Acme Sandbox Exec",
                Tier::Execute,
                "acme_tools/sandbox.py",
                Some("Runs shell commands in a remote sandbox.")
            ),
            (
                "fn:Acme Search",
                Tier::Read,
                "acme_tools/search.py",
                Some("Searches the Acme catalogue.")
            ),
            (
                "fn:AcmeListFiles",
                Tier::Read,
                "acme_tools/extra/files.py",
                Some("Works in the Acme sandbox.")
            ),
            (
                "fn:acme_delete_files",
                Tier::WriteIrreversible,
                "acme_tools/extra/files.py",
                Some("Works in the Acme sandbox.")
            ),
        ]
    );
    assert!(
        tools
            .values()
            .all(|t| t.sources.iter().all(|s| s.how == "crewai-tool"))
    );
}

/// smolagents' `Tool` subclasses are tools named by their `name`, through a project's abstract
/// base in another file too; the abstract bases themselves (declared `ABC`, with an
/// `@abstractmethod`, or leaving one undefined) are no tools, and a `Tool` from elsewhere is not
/// smolagents'.
#[test]
fn smolagents_tool_subclasses_are_tools_and_abstract_bases_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("acme_ops/__init__.py", "");
    write(
        "acme_ops/base.py",
        "from abc import ABC, abstractmethod\n\nfrom smolagents import Tool\n\n\n\
         class AcmeLedgerTool(Tool):\n    @abstractmethod\n    def connect(self):\n        ...\n\n\n\
         class AcmeRemoteTool(AcmeLedgerTool, ABC):\n    endpoint = \"https://api.example.com\"\n",
    );
    write(
        "acme_ops/purge.py",
        "from .base import AcmeLedgerTool\n\n\n\
         class PurgeAccountsTool(AcmeLedgerTool):\n    name = \"purge_accounts\"\n    \
         description = \"Permanently delete customer accounts.\"\n\n    \
         def connect(self):\n        pass\n\n    def forward(self, account_id):\n        return account_id\n",
    );
    write(
        "acme_other/widgets.py",
        "from acme_other.framework import Tool\n\n\n\
         class AcmeWidget(Tool):\n    name = \"acme_widget\"\n",
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let tools: Vec<(&str, Tier, &str)> = (result.inventory.agent_tools.values())
        .map(|t| (t.id.as_str(), t.tier, t.location().unwrap().path.as_str()))
        .collect();
    assert_eq!(
        tools,
        [(
            "fn:purge_accounts",
            Tier::WriteIrreversible,
            "acme_ops/purge.py"
        )]
    );
    let tool = &result.inventory.agent_tools["fn:purge_accounts"];
    assert!(tool.sources.iter().all(|s| s.how == "smolagents-tool"));
}

/// Two functions of one name in two files are one tool: its finding points at the one whose
/// evidence sets the tier, with that one's description, and lists both definitions.
#[test]
fn a_tool_defined_twice_is_anchored_on_its_strongest_definition() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write(
        "acme/reports.py",
        "from smolagents import tool\n\n\n@tool\ndef cleanup(day: str) -> str:\n    \
         \"\"\"Show the cleanup schedule for a day.\"\"\"\n    return day\n",
    );
    write(
        "acme/zadmin.py",
        "from smolagents import tool\n\n\n@tool\ndef cleanup(table: str) -> str:\n    \
         \"\"\"Delete every row of a table permanently.\"\"\"\n    return table\n",
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let tool = &result.inventory.agent_tools["fn:cleanup"];
    assert_eq!(tool.tier, Tier::WriteIrreversible);
    assert_eq!(tool.location().unwrap().path, "acme/zadmin.py");
    assert_eq!(
        tool.description.as_deref(),
        Some("Delete every row of a table permanently.")
    );
    assert_eq!(
        tool.definition_sites(),
        ["acme/reports.py:5", "acme/zadmin.py:5"]
    );
    let component = &result.inventory.components["tool:fn:cleanup"];
    assert_eq!(component.path.as_deref(), Some("acme/zadmin.py"));
    assert_eq!(
        component.properties["definition_sites"],
        serde_json::json!(["acme/reports.py:5", "acme/zadmin.py:5"])
    );
    let finding = (result.findings.iter())
        .find(|f| f.code == "TOOL001")
        .expect("TOOL001");
    assert!(
        finding
            .message
            .ends_with("; defined in 2 places: acme/reports.py:5, acme/zadmin.py:5"),
        "{}",
        finding.message
    );
    // Defined once, it has no list of sites.
    std::fs::remove_file(dir.path().join("acme/reports.py")).unwrap();
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let component = &result.inventory.components["tool:fn:cleanup"];
    assert!(!component.properties.contains_key("definition_sites"));
}

/// The OpenAI Agents SDK's hosted tools built in Python are tools of the tier their built-in
/// type has; a hosted MCP server is a tool provider with its url and its approval setting. A
/// class of the same name in a project that does not import the SDK is not.
#[test]
fn openai_agents_hosted_tools_are_inventoried() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write(
        "app/agent.py",
        "from agents import Agent, CodeInterpreterTool, HostedMCPTool, function_tool\n\
         from agents.tool import ComputerTool, FileSearchTool\n\n\
         @function_tool\ndef get_weather(city: str) -> str:\n    \"\"\"Return the weather.\"\"\"\n    return 'sunny'\n\n\
         agent = Agent(\n    name='acme-assistant',\n    tools=[\n        get_weather,\n        \
         CodeInterpreterTool(tool_config={'type': 'code_interpreter'}),\n        \
         ComputerTool(computer),\n        FileSearchTool(vector_store_ids=['vs_acme']),\n        \
         HostedMCPTool(tool_config={'type': 'mcp', 'server_label': 'acme-docs',\n            \
         'server_url': 'https://mcp.example.com/sse', 'require_approval': 'never'}),\n    ],\n)\n",
    );
    write(
        "other/sandbox.py",
        "from acme.sandbox import LocalShellTool\n\nshell = LocalShellTool()\n",
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let tools = &result.inventory.agent_tools;
    let found: Vec<(&str, Tier, bool)> = tools
        .values()
        .map(|t| (t.id.as_str(), t.tier, t.is_provider))
        .collect();
    assert_eq!(
        found,
        [
            ("builtin:code_interpreter", Tier::Execute, false),
            ("builtin:computer_use_preview", Tier::Execute, false),
            ("builtin:file_search", Tier::Read, false),
            ("fn:get_weather", Tier::Read, false),
            ("mcp:acme-docs", Tier::WriteIrreversible, true),
        ]
    );
    let mcp = &tools["mcp:acme-docs"];
    assert_eq!(mcp.url.as_deref(), Some("https://mcp.example.com/sse"));
    let settings: Vec<&str> = mcp.auto_approval.iter().map(|a| a.setting).collect();
    assert_eq!(settings, ["require_approval: \"never\""]);
    let findings = tool_findings(dir.path());
    assert!(
        findings.contains(&(
            "TOOL005".to_owned(),
            "mcp:acme-docs:require_approval: \"never\"".to_owned()
        )),
        "{findings:#?}"
    );
}

/// The same server configured for two clients is one component that keeps what each config
/// says: both transports, each launch once, each unpinned launch its own finding, and every
/// place it is defined in the registry skeleton.
#[test]
fn one_server_in_two_client_configs_keeps_what_each_says() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        ".vscode/mcp.json",
        r#"{"servers": {
  "docs": {"type": "stdio", "command": "npx", "args": ["-y", "@acme/docs-mcp"]},
  "search": {"type": "http", "url": "https://mcp.example.com/search"}
}}"#,
    );
    write_file(
        dir.path(),
        ".cursor/mcp.json",
        r#"{"mcpServers": {
  "docs": {"command": "npx", "args": ["-y", "@acme/docs-mcp"]},
  "search": {"command": "npx", "args": ["-y", "@acme/search-mcp"]}
}}"#,
    );
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let component = |id: &str| {
        result
            .inventory
            .components
            .values()
            .find(|c| c.properties.get("tool_id").and_then(|v| v.as_str()) == Some(id))
            .unwrap_or_else(|| panic!("{id} inventoried"))
    };
    let docs = component("mcp:docs");
    assert_eq!(
        docs.properties["packages"],
        serde_json::json!(["npx @acme/docs-mcp"])
    );
    let search = component("mcp:search");
    assert_eq!(search.properties["transport"], "http+stdio");
    assert_eq!(search.properties["url"], "https://mcp.example.com/search");
    let mut unpinned: Vec<String> = tool_findings(dir.path())
        .into_iter()
        .filter(|(code, _)| code == "TOOL007")
        .map(|(_, subject)| subject)
        .collect();
    unpinned.sort();
    assert_eq!(
        unpinned,
        [
            ".cursor/mcp.json:@acme/docs-mcp",
            ".cursor/mcp.json:@acme/search-mcp",
            ".vscode/mcp.json:@acme/docs-mcp"
        ]
    );

    aibom().arg("init").arg(dir.path()).assert().success();
    let skeleton = std::fs::read_to_string(dir.path().join("aibom.toml")).unwrap();
    for config in [".cursor/mcp.json", ".vscode/mcp.json"] {
        assert!(
            skeleton.contains(&format!("# defined in: {config}")),
            "{config}: {skeleton}"
        );
    }
}
