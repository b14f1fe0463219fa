//! The audit report as Markdown: the same sections and facts as the HTML, with the lineage as a
//! table (no diagram renderer needed). Strings from the scanned repository are escaped so that
//! they render as text: no raw HTML, links, emphasis or table breaks.

use std::fmt::Write;

use super::SECTIONS;
use super::model::{AuditReport, FindingRow, Status};
use super::svg::PiiMark;

/// Text safe inside a Markdown paragraph or table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if crate::report::visible::is_hidden_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn join(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_owned()
    } else {
        items
            .iter()
            .map(|i| escape(i))
            .collect::<Vec<_>>()
            .join("<br>")
    }
}

fn status(s: Status, accepted: Option<&str>) -> String {
    let mark = match s {
        Status::Violated => "**violated**",
        Status::NeedsReview => "**needs review**",
        Status::Met => "met",
        Status::NotTriggered => "met (not triggered)",
    };
    match accepted {
        Some(why) => format!("{mark}, accepted ({})", escape(why)),
        None => mark.to_owned(),
    }
}

fn table(out: &mut String, columns: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let _ = writeln!(out, "| {} |", columns.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(columns.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

fn findings(out: &mut String, title: &str, rows: &[FindingRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {title}\n");
    table(
        out,
        &["Severity", "Rule", "Component", "Finding", "Where"],
        rows.iter().map(|f| {
            let mut severity = f.severity.as_str().to_owned();
            if let Some(why) = &f.accepted {
                severity.push_str(&format!(", accepted ({})", escape(why)));
            }
            vec![
                severity,
                f.code.to_owned(),
                escape(f.component.as_deref().unwrap_or("—")),
                escape(&f.message),
                escape(f.location.as_deref().unwrap_or("—")),
            ]
        }),
    );
}

fn heading(out: &mut String, index: usize) {
    let _ = writeln!(out, "## {}\n", SECTIONS[index].1);
}

fn not_declared(v: Option<&str>) -> String {
    escape(v.unwrap_or("not declared"))
}

/// The whole document.
pub fn render(r: &AuditReport) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let m = &r.metadata;
    let _ = writeln!(
        out,
        "# {}\n\nScanned `{}` on {} with aibom {}. What the repository's models and data allow, what they oblige, and what was not evaluated. Not legal advice.\n",
        escape(&r.title),
        m.root.replace('`', "'"),
        m.scan_time,
        m.aibom_version
    );

    heading(&mut out, 0);
    let _ = writeln!(out, "**{}**\n", escape(&r.verdict.sentence));
    let c = &r.counts;
    table(
        &mut out,
        &[
            "Licence terms violated",
            "Need review",
            "Met",
            "Errors",
            "Warnings",
            "Notes",
            "Accepted",
        ],
        [vec![
            c.violated_terms.to_string(),
            c.review_terms.to_string(),
            c.met_terms.to_string(),
            c.errors.to_string(),
            c.warnings.to_string(),
            c.notes.to_string(),
            c.suppressed.to_string(),
        ]],
    );
    out.push_str("### What must be done\n\n");
    let actions = r.actions();
    if actions.is_empty() {
        out.push_str("No licence term is violated or open.\n\n");
    } else {
        table(
            &mut out,
            &[
                "Status",
                "Licence",
                "Term",
                "Clause",
                "Requirement",
                "Concerns",
            ],
            actions.iter().map(|a| {
                vec![
                    status(a.status, None),
                    escape(&a.licence),
                    a.term.to_owned(),
                    escape(&a.clause),
                    escape(&a.requirement),
                    join(&a.components),
                ]
            }),
        );
    }
    out.push_str("### What was checked\n\n");
    table(
        &mut out,
        &["Checks", "What", "Evaluated"],
        r.checks.iter().map(|ch| {
            let mut e = if ch.evaluated {
                "yes"
            } else {
                "**not evaluated**"
            }
            .to_owned();
            if let Some(n) = &ch.note {
                e.push_str(&format!(" ({})", escape(n)));
            }
            vec![ch.family.to_owned(), ch.what.to_owned(), e]
        }),
    );
    out.push_str("### Declared usage\n\n");
    match &r.project {
        None => out.push_str(
            "No `[project]` section in `aibom.toml` declares how the models are used. Every licence term that \
             depends on usage is marked **needs review**, naming the fact that would settle it.\n\n",
        ),
        Some(facts) => table(
            &mut out,
            &["Fact", "Declared"],
            facts.iter().map(|(k, v)| vec![escape(k), escape(v)]),
        ),
    }

    heading(&mut out, 1);
    table(
        &mut out,
        &[
            "Component",
            "Kind",
            "Format",
            "Size",
            "Licence (concluded)",
            "Source",
            "SHA-256",
        ],
        r.inventory.iter().map(|row| {
            vec![
                format!("**{}** ({})", escape(&row.name), escape(&row.id)),
                if row.external {
                    format!("{} (external)", row.kind)
                } else {
                    row.kind.to_owned()
                },
                escape(&row.format),
                row.size.clone(),
                escape(&row.licence),
                escape(&row.source),
                escape(&row.sha256),
            ]
        }),
    );
    findings(
        &mut out,
        "Findings about these files",
        &r.inventory_findings,
    );

    heading(&mut out, 2);
    for co in &r.obligations {
        let _ = writeln!(
            out,
            "### {} ({}, {})\n\nConcluded licence: **{}**; commercial use: **{}**.\n",
            escape(&co.name),
            co.kind,
            escape(&co.id),
            escape(&co.concluded),
            co.commercial
        );
        if co.licences.is_empty() {
            out.push_str("**No licence**: nothing identifies a licence for this component, so nothing grants the right to use it.\n\n");
        }
        for block in &co.licences {
            let via = block
                .via
                .as_ref()
                .map_or_else(|| "its own licence".to_owned(), |v| escape(v));
            let _ = writeln!(
                out,
                "#### {} ({}) — {via}\n",
                escape(&block.name),
                escape(&block.id)
            );
            table(
                &mut out,
                &["Clause", "Term", "Requirement", "Status", "Evidence"],
                block.rows.iter().map(|row| {
                    vec![
                        escape(&row.clause),
                        row.term.to_owned(),
                        escape(&row.requirement),
                        format!(
                            "{}: {}",
                            status(row.status, row.accepted.as_deref()),
                            escape(&row.detail)
                        ),
                        join(&row.evidence),
                    ]
                }),
            );
        }
        findings(&mut out, "Other licence findings", &co.other_findings);
    }
    findings(
        &mut out,
        "Licence findings about the configuration",
        &r.licence_findings,
    );

    heading(&mut out, 3);
    if r.attributions.is_empty() {
        out.push_str(
            "No binding licence requires an attribution phrase, a notice or a licence copy.\n\n",
        );
    }
    for a in &r.attributions {
        let _ = writeln!(
            out,
            "### {} ({}, {})\n\nApplies to: {}. Status: {}.\n",
            escape(&a.licence_name),
            escape(&a.licence_id),
            escape(&a.clause),
            escape(&a.components.join(", ")),
            status(a.status, None)
        );
        if !a.display.is_empty() {
            let phrases: Vec<String> = a
                .display
                .iter()
                .map(|p| format!("**{}**", escape(p)))
                .collect();
            let _ = write!(out, "- Display {}", phrases.join(" or "));
            if !a.display_where.is_empty() {
                let _ = write!(
                    out,
                    " prominently on: {}",
                    escape(&a.display_where.join(", "))
                );
            }
            if !a.trigger.is_empty() {
                let _ = write!(
                    out,
                    " (required when: {})",
                    escape(&a.trigger.join(", ").replace('_', " "))
                );
            }
            out.push_str(".\n");
        }
        if !a.notice.is_empty() {
            let _ = writeln!(
                out,
                "- Notice to ship with every copy:\n\n  > {}\n",
                escape(&a.notice)
            );
        }
        if a.licence_copy {
            out.push_str("- Give every recipient a copy of the licence text.\n");
        }
        if let Some(prefix) = &a.naming_prefix {
            let _ = writeln!(
                out,
                "- Name derivatives with the prefix **{}**.",
                escape(prefix)
            );
        }
        out.push('\n');
    }

    heading(&mut out, 4);
    out.push_str("Parents first: training data, base models, then what derives from them. `PII` marks data that holds personal data and models trained on it.\n\n");
    table(
        &mut out,
        &[
            "Component",
            "Kind",
            "Derived from",
            "Trained on",
            "Personal data",
        ],
        r.lineage_rows().into_iter().map(|row| {
            vec![
                escape(&row.name),
                if row.external {
                    format!("{} (external)", row.kind)
                } else {
                    row.kind.to_owned()
                },
                join(&row.derived_from),
                join(&row.trained_on),
                match row.pii {
                    PiiMark::None => String::new(),
                    PiiMark::Contains => "PII: holds personal data".to_owned(),
                    PiiMark::TrainedOn => "PII: trained on personal data".to_owned(),
                },
            ]
        }),
    );

    heading(&mut out, 5);
    let p = &r.privacy;
    let _ = writeln!(out, "**{}**\n", escape(&p.statement));
    if !p.data.is_empty() {
        table(
            &mut out,
            &[
                "Data",
                "Personal data found",
                "Declared",
                "Legal basis",
                "Retention until",
                "Erasure",
            ],
            p.data.iter().map(|d| {
                vec![
                    if d.external {
                        format!("{} (external)", escape(&d.name))
                    } else {
                        escape(&d.name)
                    },
                    match &d.detected {
                        None => "not scanned".to_owned(),
                        Some(t) if t.is_empty() => "none found".to_owned(),
                        Some(t) => escape(&t.join(", ")),
                    },
                    not_declared(d.declared.as_deref()),
                    not_declared(d.legal_basis.as_deref()),
                    not_declared(d.retention_until.as_deref()),
                    not_declared(d.erasure.as_deref()),
                ]
            }),
        );
    }
    if !p.models.is_empty() {
        table(
            &mut out,
            &["Model", "Trained on", "Personal data", "Erasure status"],
            p.models.iter().map(|mo| {
                vec![
                    escape(&mo.name),
                    join(&mo.trained_on),
                    join(&mo.pii),
                    escape(&mo.erasure_status),
                ]
            }),
        );
    }
    findings(&mut out, "Personal-data findings", &p.findings);

    heading(&mut out, 6);
    let with = r.prompts.iter().filter(|p| p.changelog.is_some()).count();
    let _ = writeln!(
        out,
        "**{with} of {} prompts** have a changelog.\n",
        r.prompts.len()
    );
    if !r.prompts.is_empty() {
        table(
            &mut out,
            &[
                "Prompt",
                "Path",
                "Owner",
                "Version",
                "Changelog",
                "State",
                "Last changed",
            ],
            r.prompts.iter().map(|pr| {
                vec![
                    escape(&pr.name),
                    escape(&pr.path),
                    escape(&pr.owner),
                    escape(&pr.version),
                    escape(pr.changelog.as_deref().unwrap_or("none")),
                    escape(&pr.state),
                    escape(&pr.last_changed),
                ]
            }),
        );
    }
    findings(&mut out, "Prompt findings", &r.prompt_findings);

    heading(&mut out, 7);
    if r.tools.is_empty() {
        out.push_str("No agent tool found.\n\n");
    } else {
        table(
            &mut out,
            &[
                "Tool",
                "Provider",
                "Tier inferred",
                "Tier registered",
                "Owner",
                "Approval",
                "Rollback",
                "Findings",
            ],
            r.tools.iter().map(|t| {
                vec![
                    format!("{} ({})", escape(&t.id), escape(&t.defined_in)),
                    escape(&t.provider),
                    format!("**{}** ({})", t.inferred_tier, escape(&t.tier_reason)),
                    escape(t.registered_tier.as_deref().unwrap_or("not registered")),
                    escape(t.owner.as_deref().unwrap_or("—")),
                    escape(t.approval.as_deref().unwrap_or("—")),
                    escape(t.rollback.as_deref().unwrap_or("—")),
                    join(&t.findings),
                ]
            }),
        );
    }
    findings(&mut out, "Tool findings", &r.tool_findings);

    heading(&mut out, 8);
    if r.exceptions.is_empty() {
        out.push_str("No `[[exception]]` is in force.\n\n");
    } else {
        table(
            &mut out,
            &["Rule", "Scope", "Reason", "Expires", "Findings accepted"],
            r.exceptions.iter().map(|e| {
                vec![
                    escape(&e.rule),
                    escape(&e.scope),
                    escape(&e.reason),
                    match (&e.expires, e.expired) {
                        (None, _) => "never".to_owned(),
                        (Some(d), true) => format!("{d} (expired)"),
                        (Some(d), false) => d.clone(),
                    },
                    e.matched.to_string(),
                ]
            }),
        );
    }
    if r.suppressed.is_empty() {
        out.push_str("No finding is suppressed.\n\n");
    } else {
        findings(&mut out, "Suppressed findings", &r.suppressed);
    }
    findings(
        &mut out,
        "Exception and baseline findings",
        &r.exception_findings,
    );

    heading(&mut out, 9);
    let time = if m.reproducible_time {
        format!("{} (from SOURCE_DATE_EPOCH)", m.scan_time)
    } else {
        m.scan_time.clone()
    };
    let mut rows = vec![
        vec!["aibom version".to_owned(), escape(&m.aibom_version)],
        vec!["Scan time".to_owned(), time],
        vec!["Scanned root".to_owned(), escape(&m.root)],
        vec![
            "Git commit".to_owned(),
            escape(m.git.as_deref().unwrap_or("not a git repository")),
        ],
        vec!["Licence database".to_owned(), escape(&m.license_db)],
        vec!["Policy preset".to_owned(), escape(&m.preset)],
        vec![
            "Config file".to_owned(),
            escape(m.config.as_deref().unwrap_or("none (defaults)")),
        ],
        vec!["Files".to_owned(), escape(&m.files)],
    ];
    if !m.config_not_evaluated.is_empty() {
        rows.push(vec![
            "Config tables not evaluated".to_owned(),
            escape(&m.config_not_evaluated.join(", ")),
        ]);
    }
    table(&mut out, &["Item", "Value"], rows);
    findings(&mut out, "Other findings", &r.other_findings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup_and_table_breaks() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("line\nbreak"), "line break");
    }
}
