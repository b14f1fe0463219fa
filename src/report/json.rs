//! JSON output: the inventory, relations and findings, in a documented and versioned shape
//! (`schemas/aibom-scan.schema.json`). Deterministic: no timestamps, no absolute paths, no
//! cache state — two scans of the same tree give the same bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Content, RenderOptions, Reporter};
use crate::finding::{Finding, Severity};
use crate::inventory::{Component, Relation};
use crate::scan::ScanResult;
use crate::suppression::Suppressed;

/// Bumped on any incompatible change of the output shape.
pub const FORMAT_VERSION: u32 = 1;

pub struct Json;

#[derive(Serialize)]
struct Output<'a> {
    format: &'static str,
    format_version: u32,
    tool: Tool,
    root: String,
    policy: PolicyInfo<'a>,
    summary: Summary,
    components: Vec<&'a Component>,
    relations: &'a [Relation],
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [Finding]>,
    #[serde(skip_serializing_if = "<[Suppressed]>::is_empty")]
    suppressed: &'a [Suppressed],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct PolicyInfo<'a> {
    preset: &'a str,
    config: Option<String>,
    not_evaluated: &'a [String],
}

#[derive(Serialize)]
struct Summary {
    components: BTreeMap<&'static str, usize>,
    external_components: usize,
    relations: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<BTreeMap<&'static str, usize>>,
}

impl Reporter for Json {
    fn render(
        &self,
        result: &ScanResult,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let inv = &result.inventory;
        let mut components = BTreeMap::new();
        for c in inv.components.values().filter(|c| !c.external) {
            *components.entry(c.kind.as_str()).or_insert(0) += 1;
        }
        let with_findings = options.content == Content::Scan;
        let findings = with_findings.then(|| {
            let mut counts: BTreeMap<&'static str, usize> =
                [Severity::Error, Severity::Warning, Severity::Note]
                    .iter()
                    .map(|s| (s.as_str(), 0))
                    .collect();
            for f in &result.findings {
                *counts.entry(f.severity.as_str()).or_insert(0) += 1;
            }
            counts
        });
        let output = Output {
            format: "aibom-scan",
            format_version: FORMAT_VERSION,
            tool: Tool {
                name: "aibom",
                version: env!("CARGO_PKG_VERSION"),
            },
            root: result.root.display().to_string(),
            policy: PolicyInfo {
                preset: &result.policy.preset,
                config: result
                    .policy
                    .source
                    .as_ref()
                    .map(|p| p.display().to_string()),
                not_evaluated: &result.policy.not_evaluated,
            },
            summary: Summary {
                components,
                external_components: inv.components.values().filter(|c| c.external).count(),
                relations: inv.relations.len(),
                findings,
            },
            components: inv.components.values().collect(),
            relations: &inv.relations,
            findings: with_findings.then_some(result.findings.as_slice()),
            suppressed: if with_findings {
                &result.suppressed
            } else {
                &[]
            },
        };
        super::write_json(out, &output)
    }
}
