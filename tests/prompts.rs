//! Prompt changelog checks (PRM002, PRM003) and the git-aware modes (`--staged`, `--since`, and
//! the documents `--staged` reads from the index), on
//! real git repositories built in temporary directories: commits with explicit dates, staged and
//! unstaged edits.

use std::path::Path;

use aibom::finding::Finding;
use aibom::git::ChangeScope;
use aibom::{ScanOptions, ScanResult, scan};
use git2::{Oid, Repository, Signature, Time};

struct TestRepo {
    dir: tempfile::TempDir,
    repo: Repository,
}

impl TestRepo {
    fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        TestRepo { dir, repo }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file in the work tree only.
    fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let abs = self.path().join(path);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(abs, content).unwrap();
    }

    fn stage(&self, path: &str) {
        let mut index = self.repo.index().unwrap();
        index.add_path(Path::new(path)).unwrap();
        index.write().unwrap();
    }

    /// Write, stage and commit files, at `time` (seconds since the epoch).
    fn commit(&self, files: &[(&str, &str)], message: &str, time: i64) -> Oid {
        for (path, content) in files {
            self.write(path, content);
            self.stage(path);
        }
        let mut index = self.repo.index().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let signature = Signature::new("Acme CI", "ci@example.com", &Time::new(time, 0)).unwrap();
        let parents: Vec<git2::Commit<'_>> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .unwrap()
    }

    fn scan(&self, changes: ChangeScope) -> ScanResult {
        let mut options = ScanOptions::new(self.path());
        options.changes = changes;
        scan(options).expect("scan runs")
    }

    fn findings(&self, changes: ChangeScope, code: &str) -> Vec<Finding> {
        self.scan(changes)
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .collect()
    }
}

const CHANGELOG_V1: &str =
    "# Prompt changelog\n\n## prompts/support.md\n\n- v1 (2025-01-10): first version.\n";
const CHANGELOG_V2: &str = "# Prompt changelog\n\n## prompts/support.md\n\n- v2 (2025-02-10): refunds go to a human.\n- v1 (2025-01-10): first version.\n";
const SUPPORT_V1: &str = "You are the Acme support assistant.\n";
const SUPPORT_V2: &str =
    "You are the Acme support assistant. Hand refund requests to a human agent.\n";
const DAY: i64 = 86_400;
const T0: i64 = 1_736_500_000;

#[test]
fn prm002_fires_when_the_prompt_changed_in_a_later_commit_than_its_entry() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
        ],
        "first prompt",
        T0,
    );
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
    let stale = repo.commit(&[("prompts/support.md", SUPPORT_V2)], "tweak", T0 + DAY);
    let found = repo.findings(ChangeScope::All, "PRM002");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].location.as_ref().unwrap().path,
        "prompts/support.md"
    );
    assert!(
        found[0].message.contains(&stale.to_string()[..10]),
        "{}",
        found[0].message
    );
    assert!(found[0].message.contains("prompts/CHANGELOG.md"));
    // No PRM001: the prompt has a changelog, only a stale one.
    assert!(repo.findings(ChangeScope::All, "PRM001").is_empty());
    // The BOM says so too, with the date of the last content change.
    let result = repo.scan(ChangeScope::All);
    let component = result
        .inventory
        .component("prompt:prompts/support.md")
        .unwrap();
    assert_eq!(component.properties["changelog_state"], "stale");
    assert_eq!(
        component.properties["last_changed"],
        format!("2025-01-11 (commit {})", &stale.to_string()[..10])
    );
}

#[test]
fn prm002_is_silent_when_the_entry_came_with_the_change() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
        ],
        "first prompt",
        T0,
    );
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V2),
            ("prompts/CHANGELOG.md", CHANGELOG_V2),
        ],
        "tweak, with its entry",
        T0 + DAY,
    );
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
    let result = repo.scan(ChangeScope::All);
    let component = result
        .inventory
        .component("prompt:prompts/support.md")
        .unwrap();
    assert_eq!(component.properties["changelog_state"], "current");
}

#[test]
fn prm002_an_entry_for_another_prompt_does_not_refresh_this_one() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
        ],
        "first prompt",
        T0,
    );
    repo.commit(&[("prompts/support.md", SUPPORT_V2)], "tweak", T0 + DAY);
    let other = format!("{CHANGELOG_V1}\n## prompts/greeting.md\n\n- v1: first version.\n");
    repo.commit(
        &[
            ("prompts/greeting.md", "Greet the customer.\n"),
            ("prompts/CHANGELOG.md", &other),
        ],
        "greeting",
        T0 + 2 * DAY,
    );
    let found = repo.findings(ChangeScope::All, "PRM002");
    let paths: Vec<&str> = found
        .iter()
        .map(|f| f.location.as_ref().unwrap().path.as_str())
        .collect();
    assert_eq!(paths, ["prompts/support.md"]);
}

#[test]
fn prm002_metadata_edits_are_not_content_changes() {
    let repo = TestRepo::new();
    let prompty = |version: &str, body: &str| {
        format!("---\nname: Triage\nversion: {version}\n---\nsystem:\n{body}\n")
    };
    repo.commit(
        &[
            ("triage.prompty", &prompty("1.0.0", "Route the ticket.")),
            ("triage.changelog.md", "- 1.0.0: first version\n"),
        ],
        "triage",
        T0,
    );
    repo.commit(
        &[("triage.prompty", &prompty("1.0.1", "Route the ticket."))],
        "bump only",
        T0 + DAY,
    );
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
    repo.commit(
        &[(
            "triage.prompty",
            &prompty("1.0.1", "Route the ticket to one queue."),
        )],
        "body change",
        T0 + 2 * DAY,
    );
    assert_eq!(repo.findings(ChangeScope::All, "PRM002").len(), 1);
}

#[test]
fn prm002_front_matter_changelog_is_dated_by_its_own_lines() {
    let repo = TestRepo::new();
    let dotprompt =
        |entries: &str, body: &str| format!("---\nversion: 1\nchangelog:\n{entries}---\n{body}\n");
    repo.commit(
        &[(
            "summarise.prompt",
            &dotprompt("  - \"1: first\"\n", "Summarise {{doc}}."),
        )],
        "summarise",
        T0,
    );
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
    repo.commit(
        &[(
            "summarise.prompt",
            &dotprompt("  - \"1: first\"\n", "Summarise {{doc}} in three bullets."),
        )],
        "body only",
        T0 + DAY,
    );
    assert_eq!(repo.findings(ChangeScope::All, "PRM002").len(), 1);
    repo.commit(
        &[(
            "summarise.prompt",
            &dotprompt(
                "  - \"2: three bullets\"\n  - \"1: first\"\n",
                "Summarise {{doc}} in three bullets.",
            ),
        )],
        "entry",
        T0 + 2 * DAY,
    );
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
}

#[test]
fn prm002_staged_prompt_without_staged_changelog() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
        ],
        "first prompt",
        T0,
    );
    repo.write("prompts/support.md", SUPPORT_V2);
    repo.stage("prompts/support.md");
    // The entry is written but not staged: the commit being made has none.
    repo.write("prompts/CHANGELOG.md", CHANGELOG_V2);
    let found = repo.findings(ChangeScope::Staged, "PRM002");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("is staged"),
        "{}",
        found[0].message
    );
    // The work tree as a whole is fine: prompt and entry changed together.
    assert!(repo.findings(ChangeScope::All, "PRM002").is_empty());
    repo.stage("prompts/CHANGELOG.md");
    assert!(repo.findings(ChangeScope::Staged, "PRM002").is_empty());
}

#[test]
fn prm002_uncommitted_prompt_edit_in_the_work_tree() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
        ],
        "first prompt",
        T0,
    );
    repo.write("prompts/support.md", SUPPORT_V2);
    let found = repo.findings(ChangeScope::All, "PRM002");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("uncommitted"),
        "{}",
        found[0].message
    );
}

#[test]
fn prompt_rules_need_no_git_and_stay_silent_without_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("prompts")).unwrap();
    std::fs::write(dir.path().join("prompts/support.md"), SUPPORT_V1).unwrap();
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let codes: Vec<&str> = result.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["PRM001"]);
    assert!(result.inventory.prompts[0].history.is_none());
    let component = &result.inventory.components["prompt:prompts/support.md"];
    assert_eq!(component.properties["changelog_state"], "missing");
    assert!(!component.properties.contains_key("last_changed"));
}

const PROMPTY_V1: &str = "---\nname: Triage\nversion: 1.2.0\n---\nsystem:\nRoute the ticket.\n";
const PROMPTY_V1_EDITED: &str =
    "---\nname: Triage\nversion: 1.2.0\n---\nsystem:\nRoute the ticket to one queue.\n";
const PROMPTY_V2: &str =
    "---\nname: Triage\nversion: 1.3.0\n---\nsystem:\nRoute the ticket to one queue.\n";

#[test]
fn prm003_content_changed_since_head_with_the_same_version() {
    let repo = TestRepo::new();
    repo.commit(&[("triage.prompty", PROMPTY_V1)], "triage", T0);
    assert!(repo.findings(ChangeScope::All, "PRM003").is_empty());
    repo.write("triage.prompty", PROMPTY_V1_EDITED);
    let found = repo.findings(ChangeScope::All, "PRM003");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("still 1.2.0"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].location.as_ref().unwrap().span.unwrap().line, 3);
    repo.write("triage.prompty", PROMPTY_V2);
    assert!(repo.findings(ChangeScope::All, "PRM003").is_empty());
}

#[test]
fn prm003_staged_mode_judges_the_index() {
    let repo = TestRepo::new();
    repo.commit(&[("triage.prompty", PROMPTY_V1)], "triage", T0);
    repo.write("triage.prompty", PROMPTY_V1_EDITED);
    repo.stage("triage.prompty");
    // The bump is in the work tree only: the commit being made has none.
    repo.write("triage.prompty", PROMPTY_V2);
    assert_eq!(repo.findings(ChangeScope::Staged, "PRM003").len(), 1);
    assert!(repo.findings(ChangeScope::All, "PRM003").is_empty());
}

#[test]
fn prm003_since_judges_against_the_merge_base() {
    let repo = TestRepo::new();
    let base = repo.commit(&[("triage.prompty", PROMPTY_V1)], "triage", T0);
    repo.repo
        .branch("main-line", &repo.repo.find_commit(base).unwrap(), false)
        .unwrap();
    repo.commit(&[("triage.prompty", PROMPTY_V1_EDITED)], "edit", T0 + DAY);
    // Committed: HEAD equals the work tree, so only the merge base shows the change.
    assert!(repo.findings(ChangeScope::All, "PRM003").is_empty());
    let found = repo.findings(ChangeScope::Since("main-line".to_owned()), "PRM003");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("merge base with main-line"),
        "{}",
        found[0].message
    );
    repo.commit(&[("triage.prompty", PROMPTY_V2)], "bump", T0 + 2 * DAY);
    assert!(
        repo.findings(ChangeScope::Since("main-line".to_owned()), "PRM003")
            .is_empty()
    );
}

fn malicious_pickle() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules/MOD001/fail-global-posix-system/model.pkl"),
    )
    .unwrap()
}

#[test]
fn staged_malicious_pickle_is_caught_from_the_index_even_when_the_work_tree_was_reverted() {
    let repo = TestRepo::new();
    repo.commit(&[("README.md", "# Acme models\n")], "init", T0);
    repo.write("models/clf.pkl", malicious_pickle());
    repo.stage("models/clf.pkl");
    // The work tree copy is replaced by something harmless after staging.
    repo.write("models/clf.pkl", b"not a pickle at all");
    let found = repo.findings(ChangeScope::Staged, "MOD001");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].location.as_ref().unwrap().path, "models/clf.pkl");
    assert!(found[0].message.contains("posix.system"));
    // A plain scan reads the work tree and sees no pickle global.
    assert!(repo.findings(ChangeScope::All, "MOD001").is_empty());
    // Nothing was written into the repository.
    let status = repo.repo.statuses(None).unwrap();
    let paths: Vec<String> = status
        .iter()
        .filter_map(|s| s.path().map(str::to_owned))
        .collect();
    assert_eq!(paths, ["models/clf.pkl"]);
}

#[test]
fn unstaged_malicious_pickle_is_ignored_by_staged_mode() {
    let repo = TestRepo::new();
    repo.commit(&[("README.md", "# Acme models\n")], "init", T0);
    repo.write("models/clf.pkl", malicious_pickle());
    assert!(repo.findings(ChangeScope::Staged, "MOD001").is_empty());
    assert_eq!(repo.findings(ChangeScope::All, "MOD001").len(), 1);
}

#[test]
fn staged_mode_reports_staged_files_only_and_pulls_in_related_files() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
            (
                "prompts/legacy/old.md",
                "An old prompt with no changelog.\n",
            ),
        ],
        "prompts",
        T0,
    );
    let committed_pickle = malicious_pickle();
    repo.write("vendor/old.pkl", &committed_pickle);
    repo.stage("vendor/old.pkl");
    repo.commit(&[], "vendor", T0 + DAY);
    repo.write("prompts/support.md", SUPPORT_V2);
    repo.write("prompts/CHANGELOG.md", CHANGELOG_V2);
    repo.stage("prompts/support.md");
    repo.stage("prompts/CHANGELOG.md");

    let result = repo.scan(ChangeScope::Staged);
    let files: Vec<&str> = result
        .inventory
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(files, ["prompts/CHANGELOG.md", "prompts/support.md"]);
    assert!(
        result.findings.is_empty(),
        "only staged files are reported: {:#?}",
        result.findings
    );

    // The changelog comes along even when only the prompt is staged.
    let repo2 = TestRepo::new();
    repo2.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V2),
        ],
        "prompts",
        T0,
    );
    repo2.write("prompts/support.md", SUPPORT_V2);
    repo2.stage("prompts/support.md");
    let result = repo2.scan(ChangeScope::Staged);
    assert!(result.inventory.file("prompts/CHANGELOG.md").is_some());
    let codes: Vec<&str> = result.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["PRM002"], "{:#?}", result.findings);
}

#[test]
fn staged_adapter_pulls_in_its_base_model_card() {
    let repo = TestRepo::new();
    repo.commit(
        &[(
            "models/base/README.md",
            "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# Acme base\n",
        )],
        "base",
        T0,
    );
    repo.write(
        "models/adapter/adapter_config.json",
        r#"{"base_model_name_or_path": "../base", "peft_type": "LORA", "r": 8}"#,
    );
    repo.stage("models/adapter/adapter_config.json");
    let result = repo.scan(ChangeScope::Staged);
    assert!(
        result.inventory.file("models/base/README.md").is_some(),
        "{:?}",
        result
            .inventory
            .files
            .iter()
            .map(|f| &f.path)
            .collect::<Vec<_>>()
    );
}

#[test]
fn since_reports_only_artefacts_changed_since_the_merge_base() {
    let repo = TestRepo::new();
    repo.write("old/clf.pkl", malicious_pickle());
    repo.stage("old/clf.pkl");
    let base = repo.commit(&[], "old pickle", T0);
    repo.write("new/clf.pkl", malicious_pickle());
    repo.stage("new/clf.pkl");
    repo.commit(&[], "new pickle", T0 + DAY);

    let paths = |found: Vec<Finding>| -> Vec<String> {
        found
            .into_iter()
            .map(|f| f.location.unwrap().path)
            .collect()
    };
    assert_eq!(
        paths(repo.findings(ChangeScope::All, "MOD001")),
        ["new/clf.pkl", "old/clf.pkl"]
    );
    assert_eq!(
        paths(repo.findings(ChangeScope::Since(base.to_string()), "MOD001")),
        ["new/clf.pkl"]
    );
    let bad = scan({
        let mut o = ScanOptions::new(repo.path());
        o.changes = ChangeScope::Since("no-such-ref".to_owned());
        o
    });
    assert!(bad.is_err());
}

#[test]
fn staged_and_since_need_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    for changes in [ChangeScope::Staged, ChangeScope::Since("HEAD".to_owned())] {
        let mut options = ScanOptions::new(dir.path());
        options.changes = changes;
        assert!(scan(options).is_err());
    }
}

const MCP_DOCS: &str =
    r#"{"mcpServers": {"docs": {"command": "npx", "args": ["-y", "@acme/docs-search@1.2.3"]}}}"#;
const MCP_DOCS_AND_BILLING: &str = r#"{"mcpServers": {"docs": {"command": "npx", "args": ["-y", "@acme/docs-search@1.2.3"]},
 "billing": {"command": "npx", "args": ["-y", "@acme/billing-mcp@2.0.0"]}}}"#;
const TOOLS_READ: &str = "from agents import function_tool\n\n@function_tool\ndef lookup_order(order_id: str) -> str:\n    \"\"\"Look up an order by id.\"\"\"\n    return \"\"\n";
const TOOLS_REFUND: &str = "from agents import function_tool\n\n@function_tool\ndef lookup_order(order_id: str) -> str:\n    \"\"\"Look up an order by id and refund the charge.\"\"\"\n    return \"\"\n";

fn agent_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V1),
            ("prompts/CHANGELOG.md", CHANGELOG_V1),
            (".mcp.json", MCP_DOCS),
            ("agents/tools.py", TOOLS_READ),
        ],
        "agent",
        T0,
    );
    repo
}

fn messages(found: &[Finding]) -> Vec<&str> {
    let mut m: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    m.sort();
    m
}

#[test]
fn tool008_new_tool_and_raised_tier_staged_with_a_prompt_edit() {
    let repo = agent_repo();
    for (path, content) in [
        ("prompts/support.md", SUPPORT_V2),
        ("prompts/CHANGELOG.md", CHANGELOG_V2),
        (".mcp.json", MCP_DOCS_AND_BILLING),
        ("agents/tools.py", TOOLS_REFUND),
    ] {
        repo.write(path, content);
        repo.stage(path);
    }
    // The work tree copy of the tool code goes back: the index decides.
    repo.write("agents/tools.py", TOOLS_READ);
    let found = repo.findings(ChangeScope::Staged, "TOOL008");
    assert_eq!(
        messages(&found),
        [
            "new tool mcp:billing (tier financial) in the same change as a prompt edit (prompts/support.md)",
            "tool fn:lookup_order raised from read to financial in the same change as a prompt edit (prompts/support.md)",
        ]
    );
    assert_eq!(found[0].location.as_ref().unwrap().path, ".mcp.json");
    // Not a change-scoped scan: no TOOL008.
    assert!(repo.findings(ChangeScope::All, "TOOL008").is_empty());
}

#[test]
fn tool008_is_silent_without_a_prompt_edit() {
    let repo = agent_repo();
    repo.write(".mcp.json", MCP_DOCS_AND_BILLING);
    repo.stage(".mcp.json");
    assert!(repo.findings(ChangeScope::Staged, "TOOL008").is_empty());
    // A prompt edit alone adds no tool either.
    let repo = agent_repo();
    repo.write("prompts/support.md", SUPPORT_V2);
    repo.stage("prompts/support.md");
    assert!(repo.findings(ChangeScope::Staged, "TOOL008").is_empty());
}

#[test]
fn tool008_since_compares_with_the_merge_base() {
    let repo = agent_repo();
    let base = repo.repo.head().unwrap().peel_to_commit().unwrap().id();
    repo.commit(&[(".mcp.json", MCP_DOCS_AND_BILLING)], "billing", T0 + DAY);
    let since = || ChangeScope::Since(base.to_string());
    assert!(repo.findings(since(), "TOOL008").is_empty());
    repo.commit(
        &[
            ("prompts/support.md", SUPPORT_V2),
            ("prompts/CHANGELOG.md", CHANGELOG_V2),
        ],
        "prompt",
        T0 + 2 * DAY,
    );
    let found = repo.findings(since(), "TOOL008");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].message.starts_with("new tool mcp:billing"));
}

#[test]
fn cli_staged_and_since_outside_a_repository_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [vec!["--staged"], vec!["--since", "main"]] {
        let output = assert_cmd::Command::cargo_bin("aibom")
            .unwrap()
            .arg("scan")
            .arg(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("not in a git repository"), "{stderr}");
    }
    let output = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["scan", "--staged", "--since", "main"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn cli_staged_exit_code_follows_the_staged_findings() {
    let repo = TestRepo::new();
    repo.commit(&[("README.md", "# Acme\n")], "init", T0);
    repo.write("models/clf.pkl", malicious_pickle());
    let run = || {
        assert_cmd::Command::cargo_bin("aibom")
            .unwrap()
            .args(["scan", "--staged", "--quiet", "--no-cache"])
            .arg(repo.path())
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0), "unstaged pickle");
    repo.stage("models/clf.pkl");
    let output = run();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("MOD001"));
}

#[test]
fn cli_staged_reads_the_staged_config() {
    let repo = TestRepo::new();
    repo.commit(
        &[("aibom.toml", "[rules]\nMOD001 = \"off\"\n")],
        "config",
        T0,
    );
    repo.write("models/clf.pkl", malicious_pickle());
    repo.stage("models/clf.pkl");
    let run = || {
        assert_cmd::Command::cargo_bin("aibom")
            .unwrap()
            .args(["scan", "--staged", "--quiet", "--no-cache"])
            .arg(repo.path())
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0), "MOD001 is off in the config");
    // The work tree turns MOD001 back on, but the commit being made does not.
    repo.write("aibom.toml", "[rules]\nMOD001 = \"error\"\n");
    assert_eq!(run().status.code(), Some(0), "the staged config decides");
    repo.stage("aibom.toml");
    assert_eq!(run().status.code(), Some(1));
}

#[test]
fn promptfoo_references_and_configured_paths_are_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, content: &str| {
        let abs = dir.path().join(path);
        std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
        std::fs::write(abs, content).unwrap();
    };
    write(
        "evals/promptfooconfig.yaml",
        "prompts:\n  - file://../templates/answer.json\n  - file://../prompts/a.txt\n  - 'Inline {{q}}'\n",
    );
    write(
        "templates/answer.json",
        r#"[{"role": "system", "content": "Answer {{q}}."}]"#,
    );
    write("prompts/a.txt", "Answer briefly.\n");
    write("agents/system.txt", "You are the Acme agent.\n");
    write("agents/other.txt", "Not a prompt.\n");
    write(
        "docs/prompt-changes.md",
        "# Prompt changes\n\n- 2025-05-01 agents/system.txt: first version.\n",
    );
    let mut options = ScanOptions::new(dir.path());
    options.policy = aibom::policy::load_str(
        "[prompts]\npaths = [\"agents/system.txt\"]\nchangelog = \"docs/prompt-changes.md\"\n",
        "aibom.toml",
        None,
    )
    .unwrap();
    let result = scan(options).unwrap();
    let prompts: Vec<(&str, Option<&str>)> = result
        .inventory
        .prompts
        .iter()
        .map(|p| {
            (
                p.path.as_str(),
                p.changelog.as_ref().map(|c| c.path.as_str()),
            )
        })
        .collect();
    assert_eq!(
        prompts,
        [
            ("agents/system.txt", Some("docs/prompt-changes.md")),
            ("prompts/a.txt", None),
            ("templates/answer.json", None),
        ]
    );
    let mut missing: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "PRM001")
        .map(|f| f.location.as_ref().unwrap().path.as_str())
        .collect();
    missing.sort();
    assert_eq!(missing, ["prompts/a.txt", "templates/answer.json"]);
}

/// A Semantic Kernel prompt directory is a prompt named after the directory, in the plugin the
/// directory above names, described by the `config.json` beside it (current and first schema);
/// that config is not a model config.
#[test]
fn semantic_kernel_prompt_directories_are_prompts() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/semantic-kernel");
    let result = scan(ScanOptions::new(&case)).unwrap();
    let inv = &result.inventory;
    let prompts: Vec<(&str, &str, Option<&str>, Option<&str>)> = inv
        .prompts
        .iter()
        .map(|p| {
            let component = inv.component(&p.component).unwrap();
            let property = |key: &str| component.properties.get(key).and_then(|v| v.as_str());
            (
                component.name.as_str(),
                property("plugin").unwrap_or(""),
                property("description"),
                property("config"),
            )
        })
        .collect();
    assert_eq!(
        prompts,
        [
            (
                "Classify",
                "AcmeLegacy",
                Some("Classify a support ticket."),
                Some("plugins/AcmeLegacy/Classify/config.json")
            ),
            (
                "Summarize",
                "AcmeWriter",
                Some("Summarize a support ticket for an Acme agent."),
                Some("plugins/AcmeWriter/Summarize/config.json")
            ),
            ("Translate", "AcmeWriter", None, None),
        ]
    );
    let summarize = inv
        .component("prompt:plugins/AcmeWriter/Summarize/skprompt.txt")
        .unwrap();
    assert_eq!(summarize.format.as_deref(), Some("semantic-kernel"));
    assert_eq!(
        summarize.properties["input_variables"],
        serde_json::json!(["input", "audience"])
    );
    // The configs are neither models nor unreadable; every prompt lacks a changelog.
    assert!(
        inv.components.values().all(
            |c| matches!(c.kind, aibom::inventory::ComponentKind::Prompt)
                || c.id.starts_with("tool")
        ),
        "{:?}",
        inv.components.keys()
    );
    let codes: Vec<(&str, &str)> = result
        .findings
        .iter()
        .filter(|f| !f.code.starts_with("TOOL"))
        .map(|f| (f.code, f.location.as_ref().unwrap().path.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("PRM001", "plugins/AcmeLegacy/Classify/skprompt.txt"),
            ("PRM001", "plugins/AcmeWriter/Summarize/skprompt.txt"),
            ("PRM001", "plugins/AcmeWriter/Translate/skprompt.txt"),
        ]
    );
}

#[test]
fn staged_scan_of_a_subfolder_sees_only_its_staged_files() {
    let repo = TestRepo::new();
    repo.commit(&[("README.md", "# Acme\n")], "init", T0);
    for path in ["ml/models/clf.pkl", "other/clf.pkl"] {
        repo.write(path, malicious_pickle());
        repo.stage(path);
    }
    // Reverted in the work tree: the index is what counts.
    repo.write("ml/models/clf.pkl", b"harmless");
    let mut options = ScanOptions::new(repo.path().join("ml"));
    options.changes = ChangeScope::Staged;
    let result = scan(options).unwrap();
    let found: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "MOD001")
        .map(|f| f.location.as_ref().unwrap().path.as_str())
        .collect();
    assert_eq!(found, ["models/clf.pkl"]);
}

/// `--staged` reads the attribution files `[project]` names as the index holds them: a
/// "Built with Llama" line written in the work tree but not staged is not in the commit.
#[test]
fn staged_mode_reads_attribution_files_from_the_index() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/LIC006");
    let read = |rel: &str| std::fs::read_to_string(fixture.join(rel)).unwrap();
    let repo = TestRepo::new();
    let card = read("fail-no-built-with-llama/models/acme/README.md");
    repo.commit(
        &[
            ("aibom.toml", &read("fail-no-built-with-llama/aibom.toml")),
            ("ABOUT.md", &read("fail-no-built-with-llama/ABOUT.md")),
            ("models/acme/README.md", &card),
        ],
        "model",
        T0,
    );
    // The card changes in the commit being made; the attribution only in the work tree.
    repo.write(
        "models/acme/README.md",
        format!("{card}\nA second paragraph.\n"),
    );
    repo.stage("models/acme/README.md");
    repo.write("ABOUT.md", read("pass-built-with-llama/ABOUT.md"));
    let built_with = |changes: ChangeScope| {
        let mut options = ScanOptions::new(repo.path());
        options.policy = aibom::policy::load(&repo.path().join("aibom.toml")).unwrap();
        options.changes = changes;
        let result = scan(options).expect("scan runs");
        result
            .findings
            .iter()
            .filter(|f| f.code == "LIC006" && f.message.contains("Built with Llama"))
            .count()
    };
    assert_eq!(built_with(ChangeScope::Staged), 1);
    assert_eq!(built_with(ChangeScope::All), 0);
    // Once staged, the commit has it.
    repo.stage("ABOUT.md");
    assert_eq!(built_with(ChangeScope::Staged), 0);
}
