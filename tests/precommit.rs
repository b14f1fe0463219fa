//! The pre-commit hooks with the real `pre-commit` (installed by `.ci/run` into `.ci/tools/py`),
//! in temporary git repositories: a new MCP server with no `[[tool]]` entry blocks the commit
//! with a readable message, the registry entry lets it through, and a baseline keeps an old
//! finding from blocking while a new one still does. `aibom-system` runs the built binary from
//! PATH; `aibom` (`language: rust`) is built by pre-commit itself from a clone of this checkout
//! through `pre-commit try-repo`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const BILLING_SERVER: &str = r#"{
  "mcpServers": {
    "billing": {
      "command": "uvx",
      "args": ["acme-billing-mcp==1.2.0"]
    }
  }
}
"#;

const BILLING_ENTRY: &str = r#"
[[tool]]
id = "mcp:billing"
tier = "financial"
systems = ["billing"]
owner = "payments-oncall"
audit_log = "billing audit table"
rollback = "reverse the refund within 30 days"
credential = "BILLING_API_KEY (refunds:write)"
approval = "human"
"#;

/// A sandbox: a git repository, a private pre-commit cache, the built aibom on PATH.
struct Sandbox {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    home: PathBuf,
    bin: PathBuf,
    tools: PathBuf,
}

impl Sandbox {
    fn new(tools: &Path) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let home = dir.path().join("home");
        let bin = dir.path().join("bin");
        for d in [&repo, &home, &bin] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::copy(env!("CARGO_BIN_EXE_aibom"), bin.join("aibom")).unwrap();
        let sandbox = Sandbox {
            _dir: dir,
            repo,
            home,
            bin,
            tools: tools.to_owned(),
        };
        sandbox.git(&["init", "-q", "-b", "main"]);
        sandbox.git(&["config", "user.email", "ci@example.com"]);
        sandbox.git(&["config", "user.name", "CI"]);
        sandbox.git(&["config", "commit.gpgsign", "false"]);
        sandbox.write("README.md", "# acme agents\n");
        sandbox.git(&["add", "README.md"]);
        sandbox.git(&["commit", "-q", "-m", "init"]);
        sandbox
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        let path = std::env::join_paths(
            [self.bin.clone(), self.tools.join("py/bin")]
                .into_iter()
                .chain(std::env::split_paths(
                    &std::env::var_os("PATH").unwrap_or_default(),
                )),
        )
        .unwrap();
        cmd.current_dir(&self.repo)
            .env("PATH", path)
            .env("PYTHONPATH", self.tools.join("py"))
            .env("PRE_COMMIT_HOME", &self.home)
            .env("AIBOM_CACHE_DIR", self.home.join("aibom-cache"))
            .env("NO_COLOR", "1")
            // pre-commit builds the `language: rust` hook with cargo; share this build's target.
            .env("CARGO_TARGET_DIR", root().join("target"))
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE");
        cmd
    }

    fn git(&self, args: &[&str]) -> Output {
        let out = self.command("git").args(args).output().unwrap();
        assert!(
            out.status.success() || args[0] == "commit",
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.repo.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn pre_commit(&self, args: &[&str]) -> Output {
        self.command(self.tools.join("py/bin/pre-commit"))
            .args(args)
            .output()
            .unwrap()
    }

    /// `pre-commit` with `args`: whether it succeeded, and what it printed with cargo's progress
    /// lines left out, so that a failed build's error is not buried under hundreds of them.
    fn pre_commit_text(&self, args: &[&str]) -> (bool, String) {
        let out = self.pre_commit(args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let progress = [
            "Compiling ",
            "Downloaded ",
            "Downloading ",
            "Adding ",
            "Locking ",
        ];
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| !progress.iter().any(|p| line.trim_start().starts_with(p)))
            .collect();
        (out.status.success(), kept.join("\n"))
    }

    /// `git commit`, through the installed hook.
    fn commit(&self, message: &str) -> (bool, String) {
        let out = self.git(&["commit", "-q", "-m", message]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }
}

/// A clone of this checkout (committed state), the hook repository pre-commit uses.
fn hook_repository(dir: &Path) -> (PathBuf, String) {
    let clone = dir.join("aibom-hooks");
    let out = Command::new("git")
        .args(["clone", "-q", "--no-hardlinks"])
        .arg(root())
        .arg(&clone)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&clone)
        .output()
        .unwrap();
    (
        clone,
        String::from_utf8_lossy(&rev.stdout).trim().to_owned(),
    )
}

fn install_system_hook(sandbox: &Sandbox, hooks: &Path, rev: &str, args: &str) {
    sandbox.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: aibom-system\n        args: [{args}]\n",
            hooks.display()
        ),
    );
    sandbox.git(&["add", ".pre-commit-config.yaml"]);
    let out = sandbox.pre_commit(&["install"]);
    assert!(
        out.status.success(),
        "pre-commit install: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_system_hook_blocks_an_unregistered_mcp_server_until_it_is_registered() {
    let Some(tools) = common::ci_tools("the pre-commit hook test") else {
        return;
    };
    let sandbox = Sandbox::new(&tools);
    let (hooks, rev) = hook_repository(sandbox._dir.path());
    install_system_hook(&sandbox, &hooks, &rev, "--fail-on, warning");

    sandbox.write(".mcp.json", BILLING_SERVER);
    sandbox.git(&["add", ".mcp.json"]);
    let (committed, output) = sandbox.commit("add the billing MCP server");
    assert!(
        !committed,
        "an unregistered MCP server must block:\n{output}"
    );
    assert!(
        output.contains("TOOL001") && output.contains("mcp:billing has no [[tool]] entry"),
        "the message says what is wrong:\n{output}"
    );
    assert!(output.contains(".mcp.json:3:5"), "and where:\n{output}");

    sandbox.write("aibom.toml", BILLING_ENTRY);
    sandbox.git(&["add", "aibom.toml", ".mcp.json"]);
    let (committed, output) = sandbox.commit("add the billing MCP server with its registry entry");
    assert!(committed, "a registered server goes through:\n{output}");
}

#[test]
fn with_a_baseline_an_old_finding_does_not_block_but_a_new_one_does() {
    let Some(tools) = common::ci_tools("the pre-commit hook test") else {
        return;
    };
    let sandbox = Sandbox::new(&tools);
    let (hooks, rev) = hook_repository(sandbox._dir.path());

    // An unregistered server committed before the hook existed, accepted in a baseline.
    sandbox.write(".mcp.json", BILLING_SERVER);
    sandbox.git(&["add", ".mcp.json"]);
    sandbox.git(&["commit", "-q", "--no-verify", "-m", "old server"]);
    let out = sandbox
        .command(sandbox.bin.join("aibom"))
        .args(["scan", ".", "-q", "--write-baseline", "aibom-baseline.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    install_system_hook(
        &sandbox,
        &hooks,
        &rev,
        "--fail-on, warning, --baseline, aibom-baseline.json",
    );
    sandbox.git(&["add", "aibom-baseline.json"]);
    let (committed, output) = sandbox.commit("hook and baseline");
    assert!(committed, "{output}");

    // Touch the old server's config: its finding is in the staged scope, and baselined.
    sandbox.write(
        ".mcp.json",
        &BILLING_SERVER.replace(
            "\"args\": [\"acme-billing-mcp==1.2.0\"]",
            "\"args\": [\"acme-billing-mcp==1.2.0\"],\n      \"env\": {\"LOG_LEVEL\": \"info\"}",
        ),
    );
    sandbox.git(&["add", ".mcp.json"]);
    // Without the baseline this change would be blocked.
    let out = sandbox
        .command(sandbox.bin.join("aibom"))
        .args(["scan", "--staged", "--fail-on", "warning", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the old finding is in the staged scope"
    );
    let (committed, output) = sandbox.commit("billing server logs at info");
    assert!(committed, "a baselined finding must not block:\n{output}");

    // A new server is a new finding.
    sandbox.write(
        ".mcp.json",
        r#"{
  "mcpServers": {
    "billing": {
      "command": "uvx",
      "args": ["acme-billing-mcp==1.2.0"],
      "env": {"LOG_LEVEL": "info"}
    },
    "refunds": {
      "command": "uvx",
      "args": ["acme-refunds-mcp==0.3.0"]
    }
  }
}
"#,
    );
    sandbox.git(&["add", ".mcp.json"]);
    let (committed, output) = sandbox.commit("add the refunds server");
    assert!(
        !committed,
        "a new finding blocks despite the baseline:\n{output}"
    );
    assert!(output.contains("mcp:refunds"), "{output}");
    assert!(!output.contains("mcp:billing has no"), "{output}");
}

#[test]
fn the_rust_hook_builds_from_the_checkout_and_blocks_through_try_repo() {
    let Some(tools) = common::ci_tools("the pre-commit hook test") else {
        return;
    };
    let sandbox = Sandbox::new(&tools);
    let (hooks, _) = hook_repository(sandbox._dir.path());

    sandbox.write(".mcp.json", BILLING_SERVER);
    sandbox.git(&["add", ".mcp.json"]);
    let hooks_arg = hooks.display().to_string();
    let (passed, output) = sandbox.pre_commit_text(&["try-repo", &hooks_arg, "aibom", "--verbose"]);
    // TOOL001 is a warning: with the default --fail-on error the hook passes but reports it.
    assert!(passed, "{output}");
    assert!(
        output.contains("mcp:billing has no [[tool]] entry"),
        "{output}"
    );

    // Errors block: a malicious pickle staged in the same repository.
    std::fs::create_dir_all(sandbox.repo.join("models")).unwrap();
    std::fs::copy(
        root().join("fixtures/rules/MOD001/fail-global-posix-system/model.pkl"),
        sandbox.repo.join("models/model.pkl"),
    )
    .unwrap();
    sandbox.git(&["add", "models/model.pkl"]);
    let (passed, output) = sandbox.pre_commit_text(&["try-repo", &hooks_arg, "aibom"]);
    assert!(!passed, "{output}");
    assert!(output.contains("MOD001"), "{output}");
}
