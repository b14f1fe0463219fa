//! `aibom init`: a starter `aibom.toml` from what a scan finds — the `[project]` questions as
//! comments, one `[[tool]]` skeleton per agent tool with its inferred tier and evidence, and
//! `[[corpus]]` / `[[model]]` skeletons for local corpora and trained models.
//!
//! The text is rendered from the inventory alone (`render`), so it is testable without a
//! terminal; `run` is the command, which never overwrites an existing file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::agent::Tier;
use crate::inventory::{ComponentKind, Inventory, RelationKind};
use crate::report::visible;
use crate::scan::{ScanOptions, scan};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to describe.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write to FILE instead of `aibom.toml` at the repository root.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The value a skeleton leaves for a person to fill in; TOOL003 treats it as missing.
pub const TODO: &str = "TODO";

/// A TOML basic string. Every control and bidi character is a `\uXXXX` escape, which TOML
/// reads back as the same character: the file shows them rather than obeys them.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if visible::is_hidden_control(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The starter config for an inventory.
pub fn render(inventory: &Inventory) -> String {
    let mut out = String::new();
    out.push_str(
        "# aibom.toml — written by `aibom init`. Replace every \"TODO\", then run `aibom scan`.\n\
         # `aibom rules TOOL003` lists the fields each tool tier needs.\n\n\
         [project]\n\
         # How are this repository's models used? Uncomment and answer; licence checks need these.\n\
         # commercial = false              # used in a product or service that earns money?\n\
         # monthly_active_users = 0        # users of the product or service, per month\n\
         # annual_revenue_usd = 0\n\
         # hosts_as_service = false        # do others call the models over a network?\n\
         # redistributes_weights = false   # are weights shipped to anyone outside the team?\n\
         # regions = [\"EU\"]                # where the product is offered\n\
         # distills_outputs = []           # models trained on this repository's model outputs\n\
         # published_names = []            # names under which derivative models are published\n\
         # attribution_files = [\"README.md\"] # where required attributions are displayed\n",
    );

    let tools: Vec<_> = inventory.agent_tools.values().collect();
    if !tools.is_empty() {
        out.push_str(
            "\n# Agent tools: one entry per tool found. `tier` is the minimum the evidence supports\n\
             # (read < write-reversible < external-send < write-irreversible < financial < execute).\n",
        );
    }
    for tool in tools {
        out.push_str("\n[[tool]]\n");
        let _ = writeln!(out, "id = {}", quoted(&tool.id));
        let _ = writeln!(out, "tier = {}", quoted(tool.tier.as_str()));
        for e in tool.deciding_evidence() {
            let _ = writeln!(out, "# evidence: {}", visible::line(&e.describe()));
        }
        for e in tool.outranked_evidence() {
            let _ = writeln!(
                out,
                "# note: {} would say {}, but {} outranks it",
                visible::line(&e.describe()),
                e.tier,
                e.outranked_by.as_deref().unwrap_or_default()
            );
        }
        if tool.evidence.is_empty() {
            out.push_str("# evidence: none of side effects found; raise the tier if the tool writes or sends\n");
        }
        // Every place: the same server is often configured for several clients.
        for source in &tool.sources {
            let line = source
                .span
                .map(|s| format!(":{}", s.line))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "# defined in: {}{line} ({})",
                visible::line(&source.path),
                source.how
            );
        }
        let _ = writeln!(out, "systems = [{}]", quoted(TODO));
        let _ = writeln!(out, "owner = {}", quoted(TODO));
        let _ = writeln!(out, "audit_log = {}", quoted(TODO));
        if tool.tier >= Tier::ExternalSend {
            let _ = writeln!(out, "rollback = {}             # or \"none\"", quoted(TODO));
            let _ = writeln!(out, "credential = {}", quoted(TODO));
            out.push_str("approval = \"human\"           # human | auto\n");
        }
        out.push_str("# reviewed = 2026-01-01\n");
    }

    let corpora: Vec<_> = inventory
        .components
        .values()
        .filter(|c| c.kind.is_data() && !c.external)
        .collect();
    if !corpora.is_empty() {
        out.push_str("\n# Corpora and datasets: what they hold and why you may keep it.\n");
    }
    for c in corpora {
        out.push_str("\n[[corpus]]\n");
        let _ = writeln!(out, "id = {}", quoted(&c.name));
        if let Some(path) = &c.path {
            let _ = writeln!(out, "path = {}", quoted(path));
        }
        if let Some(sha) = &c.sha256 {
            let _ = writeln!(out, "sha256 = {}", quoted(sha));
        }
        out.push_str(
            "# contains_pii = TODO            # true or false\n\
             # pii_types = []                 # email, phone, …\n\
             # legal_basis = \"TODO\"           # GDPR Art. 6(1)\n\
             # original_purpose = \"TODO\"\n\
             # retention_until = 2027-01-01\n\
             # erasure_procedure = \"TODO\"\n\
             # erasure_log = \"TODO\"           # JSON Lines, see docs/erasure-log.md\n",
        );
    }

    let trained: Vec<_> = inventory
        .components
        .values()
        .filter(|c| c.kind.is_model_like() && !c.external)
        .filter(|c| {
            inventory
                .relations_from(&c.id)
                .any(|r| r.kind == RelationKind::TrainedOn || r.kind == RelationKind::DerivedFrom)
        })
        .collect();
    if !trained.is_empty() {
        out.push_str("\n# Models trained or derived in this repository.\n");
    }
    for m in trained {
        out.push_str("\n[[model]]\n");
        let _ = writeln!(out, "id = {}", quoted(&m.name));
        if let Some(path) = &m.path {
            let _ = writeln!(out, "path = {}", quoted(path));
        }
        for r in inventory.relations_from(&m.id) {
            let target = inventory
                .component(&r.to)
                .map(|c| c.hub_id.clone().unwrap_or_else(|| c.name.clone()))
                .unwrap_or_else(|| r.to.clone());
            match r.kind {
                RelationKind::DerivedFrom => {
                    let _ = writeln!(out, "# base_model = {}", quoted(&target));
                }
                RelationKind::TrainedOn => match inventory.component(&r.to) {
                    Some(c) if !c.external => {
                        let _ =
                            writeln!(out, "# trained_on = [{{ corpus = {} }}]", quoted(&c.name));
                    }
                    _ => {
                        let _ = writeln!(out, "# trained on (external): {}", quoted(&target));
                    }
                },
                _ => {}
            }
        }
        out.push_str(
            "# published_name = \"TODO\"\n\
             # trained_at = 2025-01-15\n\
             # erasure_strategy = \"TODO\"       # retrain-on-next-release, output-filter, unlearning:<method>, none\n",
        );
    }
    out
}

/// `aibom init [PATH] [--output FILE]`: exit 0 when written, 2 when it could not be.
pub fn run(args: InitArgs) -> i32 {
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| args.path.join("aibom.toml"));
    if target.exists() {
        eprintln!(
            "error: {} already exists; aibom init never overwrites a file (use --output FILE to write elsewhere)",
            target.display()
        );
        return 2;
    }
    let mut options = ScanOptions::new(&args.path);
    let existing = args.path.join("aibom.toml");
    if existing.is_file() {
        match crate::policy::load(&existing) {
            Ok(policy) => options.policy = policy,
            Err(e) => {
                eprintln!("{:?}", miette::Report::new(e.visible()));
                return 2;
            }
        }
    }
    let result = match scan(options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let text = render(&result.inventory);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = written {
        eprintln!("error: cannot write {}: {e}", target.display());
        return 2;
    }
    let local = |pred: fn(ComponentKind) -> bool| {
        result
            .inventory
            .components
            .values()
            .filter(|c| pred(c.kind) && !c.external)
            .count()
    };
    eprintln!(
        "wrote {}: {} tools, {} corpora and datasets, {} models; fill in the TODOs",
        target.display(),
        result.inventory.agent_tools.len(),
        local(ComponentKind::is_data),
        text.matches("\n[[model]]\n").count(),
    );
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_read_back_as_written_and_show_every_control() {
        for s in [
            "plain",
            "a \"b\" \\c",
            "esc\x1b[2K\u{9b}\u{202e}\u{2066}\t\n\r\u{7f}x",
            "ünï",
        ] {
            let line = format!("v = {}", quoted(s));
            assert!(!line.chars().any(visible::is_hidden_control), "{line:?}");
            let table: toml::Table = line.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(table["v"].as_str(), Some(s));
        }
    }
}
