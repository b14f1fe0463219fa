//! `aibom licenses`: the database as a list, and one licence's terms in plain language with
//! clause references and sources.

use super::db::LicenseDb;
use super::record::{CommercialStatus, LicenseRecord};

/// One line per licence: id, commercial status, name.
pub fn list(db: &LicenseDb) -> String {
    let width = db
        .records()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .clamp(2, 32);
    let mut out = format!("{:<width$}  {:<11}  NAME\n", "ID", "COMMERCIAL");
    for r in db.records() {
        let status = if r.category == "use-policy" {
            "(policy)"
        } else {
            r.commercial.status.as_str()
        };
        out.push_str(&format!("{:<width$}  {:<11}  {}\n", r.id, status, r.name));
    }
    out
}

fn clause(c: &str) -> String {
    if c.trim().is_empty() {
        String::new()
    } else {
        format!(" [{}]", c.trim())
    }
}

fn number(n: f64) -> String {
    if n >= 1e9 && (n / 1e9).fract() == 0.0 {
        format!("{}B", n / 1e9)
    } else if n >= 1e6 && (n / 1e6).fract() == 0.0 {
        format!("{}M", n / 1e6)
    } else {
        format!("{n}")
    }
}

/// A licence's terms, in plain language.
pub fn show(r: &LicenseRecord) -> String {
    let mut out = format!("{} — {}\n", r.id, r.name);
    let mut line = |label: &str, text: String| {
        if !text.trim().is_empty() {
            out.push_str(&format!("  {label:<16} {text}\n"));
        }
    };
    line("family", r.family.clone());
    line("version date", r.version_date.clone());
    line("category", r.category.clone());
    line("SPDX", r.spdx.clone());
    line("ScanCode", r.scancode.clone());
    line("Hugging Face", r.hf_ids.join(", "));
    line("aliases", r.aliases.join(", "));
    line("links", r.links.join(", "));
    out.push_str("\nTerms\n");
    let mut term = |text: String| out.push_str(&format!("  - {text}\n"));
    let commercial = match r.commercial.status {
        CommercialStatus::Allowed => "Commercial use is allowed",
        CommercialStatus::Conditional => "Commercial use is allowed under conditions",
        CommercialStatus::Forbidden => "Commercial use is forbidden",
        CommercialStatus::Unknown => "Commercial use: the record does not say",
    };
    let registration = if r.commercial.registration_required {
        "; registration with the licensor is required"
    } else {
        ""
    };
    term(format!(
        "{commercial}{registration}.{}",
        clause(&r.commercial.clause)
    ));
    for t in &r.threshold {
        let applies = if t.applies_if.is_empty() {
            String::new()
        } else {
            format!(" (applies to {} use)", t.applies_if)
        };
        term(format!(
            "Above {} {}{} ({}, measured {}): {}.{}",
            number(t.limit),
            t.metric.describe(),
            applies,
            t.scope.replace('+', " and "),
            t.basis.replace('_', " "),
            t.on_exceed.replace('_', " "),
            clause(&t.clause)
        ));
    }
    if let Some(a) = &r.attribution {
        if !a.display_text.is_empty() {
            term(format!(
                "Display {} ({}) when you {}.{}",
                a.display_text
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" or "),
                a.display_where.join(", "),
                a.trigger.join(" or ").replace('_', " "),
                clause(&a.clause)
            ));
        }
        if !a.notice_file.is_empty() {
            term(format!(
                "Ship a notice file: \"{}\".{}",
                a.notice_file,
                clause(&a.clause)
            ));
        }
    }
    if let Some(n) = &r.naming {
        term(format!(
            "Derivatives ({}) must be named starting with \"{}\".{}",
            n.applies_to.join(", ").replace('_', " "),
            n.derivative_prefix,
            clause(&n.clause)
        ));
    }
    if let Some(o) = &r.outputs {
        let condition = if o.condition.is_empty() {
            String::new()
        } else {
            format!(", condition: {}", o.condition.replace('_', " "))
        };
        term(format!(
            "Using outputs to train other models ({} models): {}{}.{}",
            if o.scope.is_empty() { "any" } else { &o.scope },
            if o.train_other_models.is_empty() {
                "not stated"
            } else {
                &o.train_other_models
            },
            condition,
            clause(&o.clause)
        ));
    }
    if !r.derivatives.copyleft.is_empty() {
        term(format!(
            "Derivatives: {}{}.{}",
            r.derivatives.copyleft.replace('_', " "),
            if r.derivatives.includes_distillation {
                " (distillation counts as a derivative)"
            } else {
                ""
            },
            clause(&r.derivatives.clause)
        ));
    }
    if let Some(u) = &r.use_restrictions {
        term(format!(
            "Use restrictions{}{}: {}{}.{}",
            if u.aup_url.is_empty() {
                String::new()
            } else {
                format!(" ({})", u.aup_url)
            },
            if u.mutable {
                ", which the licensor may change"
            } else {
                ""
            },
            u.categories.join(", ").replace('_', " "),
            if u.flow_down_required {
                "; they must flow down to your users"
            } else {
                ""
            },
            clause(&u.clause)
        ));
    }
    let rd = &r.redistribution;
    let mut redistribution = Vec::new();
    if rd.license_copy {
        redistribution.push("give recipients a copy of the licence");
    }
    if rd.modified_file_notice {
        redistribution.push("mark modified files");
    }
    if rd.hosted_counts_as_distribution {
        redistribution.push("hosting the model as a service counts as distribution");
    }
    if !redistribution.is_empty() {
        term(format!(
            "Redistribution: {}.{}",
            redistribution.join("; "),
            clause(&rd.clause)
        ));
    }
    for g in &r.geo {
        if g.excluded.is_empty() {
            continue;
        }
        term(format!(
            "Not licensed in {}{}{}; source: {}.{}",
            g.excluded.join(", "),
            if g.modality.is_empty() {
                String::new()
            } else {
                format!(" for {} models", g.modality)
            },
            if g.end_users_exempt {
                " (end users of products are exempt)"
            } else {
                ""
            },
            g.source,
            clause(&g.clause)
        ));
    }
    let terminations: Vec<String> = r
        .termination
        .iter()
        .filter(|(_, v)| v.as_bool() == Some(true))
        .map(|(k, _)| k.trim_start_matches("on_").replace('_', " "))
        .collect();
    if !terminations.is_empty() {
        term(format!(
            "The licence terminates on: {}.",
            terminations.join(", ")
        ));
    }
    if !r.meta.governing_law.is_empty() {
        term(format!("Governing law: {}.", r.meta.governing_law));
    }
    if !r.meta.sources.is_empty() {
        out.push_str("\nSources\n");
        for s in &r.meta.sources {
            out.push_str(&format!("  - {s}\n"));
        }
    }
    out.push_str("\nThis summary is not legal advice; read the licence itself.\n");
    out
}
