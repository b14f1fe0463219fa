//! The audit report as one self-contained HTML file: inline CSS and SVG, no script, no URL
//! fetched. Every string from the scanned repository goes through `escape`.

use std::fmt::Write;

use super::SECTIONS;
use super::model::{AuditReport, FindingRow, Status};
use super::svg::{self, PiiMark};

const STYLE: &str = include_str!("style.css");

fn esc(text: &str) -> String {
    svg::escape(text)
}

fn badge(class: &str, text: &str) -> String {
    format!("<span class=\"badge {class}\">{}</span>", esc(text))
}

fn status_cell(status: Status, accepted: Option<&str>) -> String {
    let mut cell = badge(status.class(), status.label());
    if let Some(why) = accepted {
        cell.push(' ');
        cell.push_str(&badge("accepted", "accepted"));
        let _ = write!(cell, "<span class=\"detail\">{}</span>", esc(why));
    }
    cell
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_owned()
    } else {
        items
            .iter()
            .map(|i| esc(i))
            .collect::<Vec<_>>()
            .join("<br>")
    }
}

fn section_start(out: &mut String, index: usize) {
    let (anchor, title) = SECTIONS[index];
    let _ = write!(
        out,
        "<section class=\"major\" id=\"{anchor}\" aria-labelledby=\"h-{anchor}\"><h2 id=\"h-{anchor}\">{}</h2>",
        esc(title)
    );
}

fn findings_table(out: &mut String, caption: &str, rows: &[FindingRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h3>{}</h3><table class=\"findings\"><thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Component</th><th scope=\"col\">Finding</th><th scope=\"col\">Where</th></tr></thead><tbody>",
        esc(caption)
    );
    for f in rows {
        let mut severity = badge(f.severity.as_str(), f.severity.as_str());
        if let Some(why) = &f.accepted {
            let _ = write!(
                severity,
                " {}<span class=\"detail\">{}</span>",
                badge("accepted", "accepted"),
                esc(why)
            );
        }
        let _ = write!(
            out,
            "<tr><td>{severity}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td></tr>",
            esc(f.code),
            esc(f.component.as_deref().unwrap_or("—")),
            esc(&f.message),
            esc(f.location.as_deref().unwrap_or("—"))
        );
    }
    out.push_str("</tbody></table>");
}

fn table_head(out: &mut String, columns: &[&str]) {
    table_head_class(out, "", columns);
}

/// A table whose class fixes its column widths (see `style.css`).
fn table_head_class(out: &mut String, class: &str, columns: &[&str]) {
    if class.is_empty() {
        out.push_str("<table><thead><tr>");
    } else {
        let _ = write!(out, "<table class=\"{class}\"><thead><tr>");
    }
    for c in columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>");
}

fn summary(out: &mut String, r: &AuditReport) {
    section_start(out, 0);
    let class = if r.verdict.cleared {
        "cleared"
    } else if r.counts.errors + r.counts.violated_terms > 0 {
        "not-cleared"
    } else {
        "review"
    };
    let _ = write!(
        out,
        "<p class=\"verdict {class}\" role=\"status\">{}</p>",
        esc(&r.verdict.sentence)
    );
    let c = &r.counts;
    let card = |out: &mut String, class: &str, n: usize, label: &str| {
        let _ = write!(
            out,
            "<div class=\"card {class}\"><span class=\"n\">{n}</span>{}</div>",
            esc(label)
        );
    };
    out.push_str("<div class=\"cards\">");
    card(out, "bad", c.violated_terms, "licence terms violated");
    card(out, "warn", c.review_terms, "licence terms need review");
    card(out, "ok", c.met_terms, "licence terms met");
    card(out, "bad", c.errors, "errors");
    card(out, "warn", c.warnings, "warnings");
    card(out, "", c.notes, "notes");
    card(out, "", c.suppressed, "accepted (exceptions, baseline)");
    out.push_str("</div>");

    let actions = r.actions();
    out.push_str("<h3>What must be done</h3>");
    if actions.is_empty() {
        out.push_str("<p>No licence term is violated or open.</p>");
    } else {
        table_head_class(
            out,
            "actions",
            &["Status", "Licence", "Clause", "Requirement", "Concerns"],
        );
        for a in &actions {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code><span class=\"detail\">{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                badge(a.status.class(), a.status.label()),
                esc(&a.licence),
                esc(a.term),
                esc(&a.clause),
                esc(&a.requirement),
                esc(&a.components.join(", "))
            );
        }
        out.push_str("</tbody></table>");
    }

    out.push_str("<h3>What was checked</h3>");
    table_head(out, &["Checks", "What", "Evaluated"]);
    for check in &r.checks {
        let evaluated = if check.evaluated {
            badge("met", "yes")
        } else {
            badge("review", "not evaluated")
        };
        let note = check
            .note
            .as_ref()
            .map(|n| format!("<span class=\"detail\">{}</span>", esc(n)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{evaluated}{note}</td></tr>",
            esc(check.family),
            esc(check.what)
        );
    }
    out.push_str("</tbody></table>");

    out.push_str("<h3>Declared usage</h3>");
    match &r.project {
        None => out.push_str(
            "<p>No <code>[project]</code> section in <code>aibom.toml</code> declares how the models are used \
             (commercial use, users, revenue, distribution, hosting, regions, published names). Every licence term \
             that depends on these facts is marked <em>needs review</em>, naming the fact that would settle it.</p>",
        ),
        Some(facts) => {
            table_head(out, &["Fact", "Declared"]);
            for (k, v) in facts {
                let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v));
            }
            out.push_str("</tbody></table>");
        }
    }
    out.push_str(
        "<p class=\"note\">How to read this report: <strong>violated</strong> means a check found the term broken; \
         <strong>needs review</strong> means a person must confirm it (it cannot be checked from files, or a usage fact \
         is not declared); <strong>met</strong> means the declared usage satisfies it. This report is not legal advice.</p>",
    );
    out.push_str("</section>");
}

fn inventory(out: &mut String, r: &AuditReport) {
    section_start(out, 1);
    out.push_str("<p>Every model, adapter, quantization, merge, dataset and corpus found, and the external models and datasets they refer to.</p>");
    table_head_class(
        out,
        "inventory",
        &[
            "Component",
            "Kind",
            "Format",
            "Size",
            "Licence (concluded)",
            "Source",
            "SHA-256",
        ],
    );
    for row in &r.inventory {
        let kind = if row.external {
            format!("{} <span class=\"detail\">external</span>", esc(row.kind))
        } else {
            esc(row.kind)
        };
        let _ = write!(
            out,
            "<tr><td><strong>{}</strong><span class=\"detail mono\">{}</span></td><td>{kind}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&row.name),
            esc(&row.id),
            esc(&row.format),
            esc(&row.size),
            esc(&row.licence),
            esc(&row.source),
            esc(&row.sha256)
        );
    }
    out.push_str("</tbody></table>");
    findings_table(out, "Findings about these files", &r.inventory_findings);
    out.push_str("</section>");
}

fn obligations(out: &mut String, r: &AuditReport) {
    section_start(out, 2);
    out.push_str("<p>For each model and dataset: every licence that binds it (its own, and those inherited from base models and training data), each term with its clause, what it requires, and its status.</p>");
    if r.obligations.is_empty() {
        out.push_str("<p>No model or dataset in the repository.</p>");
    }
    for co in &r.obligations {
        let _ = write!(
            out,
            "<div class=\"component\"><h3>{} <span class=\"detail\">{} · <code>{}</code></span></h3><p>Concluded licence: <strong>{}</strong>; commercial use: <strong>{}</strong>.</p>",
            esc(&co.name),
            esc(co.kind),
            esc(&co.id),
            esc(&co.concluded),
            esc(co.commercial)
        );
        if co.licences.is_empty() {
            out.push_str("<p><span class=\"badge violated\">no licence</span> Nothing identifies a licence for this component, so nothing grants the right to use it.</p>");
        }
        for block in &co.licences {
            let via = block
                .via
                .as_ref()
                .map(|v| format!(" — {}", esc(v)))
                .unwrap_or_else(|| " — its own licence".to_owned());
            let _ = write!(
                out,
                "<h4>{} (<code>{}</code>){via}</h4>",
                esc(&block.name),
                esc(&block.id)
            );
            table_head_class(
                out,
                "obligations",
                &["Clause", "Term", "Requirement", "Status", "Evidence"],
            );
            for row in &block.rows {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}<span class=\"detail\">{}</span></td><td>{}</td></tr>",
                    esc(&row.clause),
                    esc(row.term),
                    esc(&row.requirement),
                    status_cell(row.status, row.accepted.as_deref()),
                    esc(&row.detail),
                    list_or_dash(&row.evidence)
                );
            }
            out.push_str("</tbody></table>");
        }
        findings_table(out, "Other licence findings", &co.other_findings);
        out.push_str("</div>");
    }
    findings_table(
        out,
        "Licence findings about the configuration",
        &r.licence_findings,
    );
    out.push_str("</section>");
}

fn attribution(out: &mut String, r: &AuditReport) {
    section_start(out, 3);
    if r.attributions.is_empty() {
        out.push_str(
            "<p>No binding licence requires an attribution phrase, a notice or a licence copy.</p>",
        );
    } else {
        out.push_str("<p>Texts the licences require you to show or ship, exactly as the licence database records them.</p>");
    }
    for a in &r.attributions {
        let _ = write!(
            out,
            "<div class=\"attribution\"><h3>{} <span class=\"detail\"><code>{}</code> · {}</span></h3><p>Applies to: {}. Status: {}</p>",
            esc(&a.licence_name),
            esc(&a.licence_id),
            esc(&a.clause),
            esc(&a.components.join(", ")),
            badge(a.status.class(), a.status.label())
        );
        if !a.display.is_empty() {
            let phrases: Vec<String> = a
                .display
                .iter()
                .map(|p| format!("<span class=\"phrase\">{}</span>", esc(p)))
                .collect();
            let _ = write!(out, "<p>Display {}", phrases.join(" or "));
            if !a.display_where.is_empty() {
                let _ = write!(out, " prominently on: {}", esc(&a.display_where.join(", ")));
            }
            if !a.trigger.is_empty() {
                let _ = write!(
                    out,
                    " (required when: {})",
                    esc(&a.trigger.join(", ").replace('_', " "))
                );
            }
            out.push_str(".</p>");
        }
        if !a.notice.is_empty() {
            let _ = write!(
                out,
                "<p>Notice to ship with every copy (for example in a <code>NOTICE</code> file):</p><blockquote class=\"notice\">{}</blockquote>",
                esc(&a.notice)
            );
        }
        if a.licence_copy {
            out.push_str("<p>Give every recipient a copy of the licence text.</p>");
        }
        if let Some(prefix) = &a.naming_prefix {
            let _ = write!(
                out,
                "<p>Name derivatives with the prefix <strong>{}</strong>.</p>",
                esc(prefix)
            );
        }
        out.push_str("</div>");
    }
    out.push_str("</section>");
}

fn pii_text(mark: PiiMark) -> &'static str {
    match mark {
        PiiMark::None => "",
        PiiMark::Contains => "holds personal data",
        PiiMark::TrainedOn => "trained on personal data",
    }
}

fn lineage(out: &mut String, r: &AuditReport) {
    section_start(out, 4);
    match svg::render(&r.lineage) {
        None => out.push_str("<p>No model or dataset to draw.</p>"),
        Some(svg) => {
            out.push_str("<figure>");
            out.push_str(&svg);
            out.push_str(
                "<figcaption><div class=\"legend\"><span class=\"l-data\">training data</span><span class=\"l-model\">model</span>\
                 <span class=\"l-derived\">adapter, quantization, merge</span><span class=\"l-external\">external (not in the repository)</span>\
                 <span class=\"l-pii\">PII: holds personal data</span><span class=\"l-pii-trained\">PII: trained on personal data</span></div>\
                 Solid arrows: derived from (the table below names the relation); dashed green arrows: trained on. \
                 Hover a box for its full name.</figcaption></figure>",
            );
        }
    }
    let rows = r.lineage_rows();
    if !rows.is_empty() {
        table_head(
            out,
            &[
                "Component",
                "Kind",
                "Derived from",
                "Trained on",
                "Personal data",
            ],
        );
        for row in rows {
            let kind = if row.external {
                format!("{} (external)", row.kind)
            } else {
                row.kind.to_owned()
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.name),
                esc(&kind),
                list_or_dash(&row.derived_from),
                list_or_dash(&row.trained_on),
                esc(pii_text(row.pii))
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
}

fn privacy(out: &mut String, r: &AuditReport) {
    section_start(out, 5);
    let p = &r.privacy;
    let _ = write!(out, "<p><strong>{}</strong></p>", esc(&p.statement));
    if !p.data.is_empty() {
        out.push_str("<h3>Corpora and datasets</h3>");
        table_head(
            out,
            &[
                "Data",
                "Personal data found",
                "Declared",
                "Legal basis",
                "Retention until",
                "Erasure",
            ],
        );
        for d in &p.data {
            let found = match &d.detected {
                None => "not scanned".to_owned(),
                Some(types) if types.is_empty() => "none found".to_owned(),
                Some(types) => types.join(", "),
            };
            let name = if d.external {
                format!("{} (external)", d.name)
            } else {
                d.name.clone()
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&name),
                esc(&found),
                esc(d.declared.as_deref().unwrap_or("not declared")),
                esc(d.legal_basis.as_deref().unwrap_or("not declared")),
                esc(d.retention_until.as_deref().unwrap_or("not declared")),
                esc(d.erasure.as_deref().unwrap_or("not declared"))
            );
        }
        out.push_str("</tbody></table>");
    }
    if !p.models.is_empty() {
        out.push_str("<h3>Models and erasure requests</h3>");
        table_head(
            out,
            &["Model", "Trained on", "Personal data", "Erasure status"],
        );
        for m in &p.models {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&m.name),
                list_or_dash(&m.trained_on),
                if m.pii.is_empty() {
                    "—".to_owned()
                } else {
                    list_or_dash(&m.pii)
                },
                esc(&m.erasure_status)
            );
        }
        out.push_str("</tbody></table>");
    }
    findings_table(out, "Personal-data findings", &p.findings);
    out.push_str("</section>");
}

fn prompts(out: &mut String, r: &AuditReport) {
    section_start(out, 6);
    let with = r.prompts.iter().filter(|p| p.changelog.is_some()).count();
    let _ = write!(
        out,
        "<p><strong>{with} of {} prompts</strong> have a changelog.</p>",
        r.prompts.len()
    );
    if !r.prompts.is_empty() {
        table_head(
            out,
            &[
                "Prompt",
                "Owner",
                "Version",
                "Changelog",
                "State",
                "Last changed",
            ],
        );
        for p in &r.prompts {
            let _ = write!(
                out,
                "<tr><td>{}<span class=\"detail mono\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.name),
                esc(&p.path),
                esc(&p.owner),
                esc(&p.version),
                esc(p.changelog.as_deref().unwrap_or("none")),
                esc(&p.state),
                esc(&p.last_changed)
            );
        }
        out.push_str("</tbody></table>");
    }
    findings_table(out, "Prompt findings", &r.prompt_findings);
    out.push_str("</section>");
}

fn tools(out: &mut String, r: &AuditReport) {
    section_start(out, 7);
    out.push_str("<p>Agent tools give a model authority. The tier says the worst a tool can do: <code>read</code> &lt; <code>write-reversible</code> &lt; <code>external-send</code> &lt; <code>write-irreversible</code> &lt; <code>financial</code> &lt; <code>execute</code>. <em>Inferred</em> is what aibom reads from the code and configs; <em>registered</em> is what the <code>[[tool]]</code> registry in <code>aibom.toml</code> records.</p>");
    if r.tools.is_empty() {
        out.push_str("<p>No agent tool found.</p>");
    } else {
        table_head_class(
            out,
            "tools",
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
        );
        for t in &r.tools {
            let _ = write!(
                out,
                "<tr><td><code>{}</code><span class=\"detail\">{}</span></td><td><code>{}</code></td><td><strong>{}</strong><span class=\"detail\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.id),
                esc(&t.defined_in),
                esc(&t.provider),
                esc(t.inferred_tier),
                esc(&t.tier_reason),
                esc(t.registered_tier.as_deref().unwrap_or("not registered")),
                esc(t.owner.as_deref().unwrap_or("—")),
                esc(t.approval.as_deref().unwrap_or("—")),
                esc(t.rollback.as_deref().unwrap_or("—")),
                list_or_dash(&t.findings)
            );
        }
        out.push_str("</tbody></table>");
    }
    findings_table(out, "Tool findings", &r.tool_findings);
    out.push_str("</section>");
}

fn exceptions(out: &mut String, r: &AuditReport) {
    section_start(out, 8);
    if r.exceptions.is_empty() {
        out.push_str("<p>No <code>[[exception]]</code> is in force.</p>");
    } else {
        table_head(
            out,
            &["Rule", "Scope", "Reason", "Expires", "Findings accepted"],
        );
        for e in &r.exceptions {
            let expires = match (&e.expires, e.expired) {
                (None, _) => "never".to_owned(),
                (Some(d), true) => format!("{d} (expired)"),
                (Some(d), false) => d.clone(),
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&e.rule),
                esc(&e.scope),
                esc(&e.reason),
                esc(&expires),
                e.matched
            );
        }
        out.push_str("</tbody></table>");
    }
    if r.suppressed.is_empty() {
        out.push_str("<p>No finding is suppressed.</p>");
    } else {
        findings_table(out, "Suppressed findings", &r.suppressed);
    }
    findings_table(
        out,
        "Exception and baseline findings",
        &r.exception_findings,
    );
    out.push_str("</section>");
}

fn metadata(out: &mut String, r: &AuditReport) {
    section_start(out, 9);
    let m = &r.metadata;
    let time = if m.reproducible_time {
        format!("{} (from SOURCE_DATE_EPOCH)", m.scan_time)
    } else {
        m.scan_time.clone()
    };
    let rows = [
        ("aibom version", m.aibom_version.clone()),
        ("Scan time", time),
        ("Scanned root", m.root.clone()),
        (
            "Git commit",
            m.git
                .clone()
                .unwrap_or_else(|| "not a git repository".to_owned()),
        ),
        ("Licence database", m.license_db.clone()),
        ("Policy preset", m.preset.clone()),
        (
            "Config file",
            m.config
                .clone()
                .unwrap_or_else(|| "none (defaults)".to_owned()),
        ),
        ("Files", m.files.clone()),
    ];
    table_head(out, &["Item", "Value"]);
    for (k, v) in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(k),
            esc(&v)
        );
    }
    if !m.config_not_evaluated.is_empty() {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">Config tables not evaluated</th><td>{}</td></tr>",
            esc(&m.config_not_evaluated.join(", "))
        );
    }
    out.push_str("</tbody></table>");
    findings_table(out, "Other findings", &r.other_findings);
    out.push_str("</section>");
}

/// The whole document.
pub fn render(r: &AuditReport) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"aibom {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&r.metadata.aibom_version),
        esc(&r.title)
    );
    let _ = writeln!(
        out,
        "<header><p class=\"eyebrow\">aibom audit report · licences, personal data, agent tools</p><h1>{}</h1><p class=\"lede\">Scanned <code>{}</code> on {} with aibom {}. What the repository's models and data allow, what they oblige, and what was not evaluated.</p></header>",
        esc(&r.title),
        esc(&r.metadata.root),
        esc(&r.metadata.scan_time),
        esc(&r.metadata.aibom_version)
    );
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ol>");
    for (anchor, title) in SECTIONS {
        let text = title.split_once(". ").map_or(title, |(_, t)| t);
        let _ = write!(out, "<li><a href=\"#{anchor}\">{}</a></li>", esc(text));
    }
    out.push_str("</ol></nav>\n<main>\n");
    summary(&mut out, r);
    inventory(&mut out, r);
    obligations(&mut out, r);
    attribution(&mut out, r);
    lineage(&mut out, r);
    privacy(&mut out, r);
    prompts(&mut out, r);
    tools(&mut out, r);
    exceptions(&mut out, r);
    metadata(&mut out, r);
    let _ = write!(
        out,
        "\n</main>\n<footer>Generated by aibom {} — a static scanner: it read file headers and metadata only, ran nothing, and used no network unless asked. Not legal advice.</footer>\n</body>\n</html>\n",
        esc(&r.metadata.aibom_version)
    );
    out
}
