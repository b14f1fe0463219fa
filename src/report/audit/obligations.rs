//! Licence obligations per component: one row per term of every binding licence, with a status
//! taken from the `LIC` findings (active or accepted) and the declared `[project]` usage.
//!
//! The rules decide; this module only lines their findings up with the terms of the licence
//! database. A term with no finding is "met" only when the declared usage settles it; when the
//! fact that would settle it is not declared, or the term cannot be checked statically, it
//! "needs review".

use std::collections::BTreeSet;

use super::model::{ComponentObligations, FindingRow, LicenceBlock, ObligationRow, Status};
use crate::finding::Finding;
use crate::inventory::{Inventory, RelationKind};
use crate::license::analysis::{Bound, ComponentLicensing};
use crate::license::obligations::{derivation_kinds, local_components, naming_applies};
use crate::license::record::{CommercialStatus, Metric};
use crate::policy::usage::Project;
use crate::rules::Family;
use crate::scan::ScanResult;
use crate::suppression::SuppressionKind;

/// Every finding once, so that a finding no row claims is still shown.
pub struct FindingPool<'a> {
    entries: Vec<(&'a Finding, Option<String>, bool)>,
}

impl<'a> FindingPool<'a> {
    pub fn new(result: &'a ScanResult) -> FindingPool<'a> {
        let mut entries: Vec<(&Finding, Option<String>, bool)> =
            result.findings.iter().map(|f| (f, None, false)).collect();
        for s in &result.suppressed {
            let why = match s.suppression.kind {
                SuppressionKind::Exception => format!("exception: {}", s.suppression.reason),
                SuppressionKind::Baseline => format!("baseline: {}", s.suppression.reason),
            };
            entries.push((&s.finding, Some(why), false));
        }
        FindingPool { entries }
    }

    /// The findings of `code` about `component` whose subject passes `wanted`; marks them used.
    fn take(
        &mut self,
        component: &str,
        code: &str,
        wanted: impl Fn(&Finding) -> bool,
    ) -> Vec<(&'a Finding, Option<String>)> {
        let mut out = Vec::new();
        for (f, why, used) in &mut self.entries {
            if f.code == code && f.component.as_deref() == Some(component) && wanted(f) {
                *used = true;
                out.push((*f, why.clone()));
            }
        }
        out
    }

    /// Findings of a family not yet claimed, about `component` (or about no component when
    /// `None`); they are marked used.
    pub fn remaining(&mut self, family: Family, component: Option<&str>) -> Vec<FindingRow> {
        let mut out = Vec::new();
        for (f, why, used) in &mut self.entries {
            let in_family = f.code.starts_with(family.prefix());
            let about = match component {
                Some(id) => f.component.as_deref() == Some(id),
                None => true,
            };
            if !*used && in_family && about {
                *used = true;
                out.push(FindingRow::from_finding(f, why.clone()));
            }
        }
        out
    }
}

/// What a row's status comes from.
struct Term<'p> {
    term: &'static str,
    clause: String,
    requirement: String,
    /// Findings that break the term.
    violations: Vec<(&'p Finding, Option<String>)>,
    /// Findings that put it up for review.
    reviews: Vec<(&'p Finding, Option<String>)>,
    /// With no finding: the status the declared usage gives, and why.
    otherwise: (Status, String),
}

fn clause_of(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_owned()
    } else {
        text.trim().to_owned()
    }
}

fn number(n: f64) -> String {
    if n >= 1e9 && (n / 1e9).fract() == 0.0 {
        format!("{} billion", n / 1e9)
    } else if n >= 1e6 && (n / 1e6).fract() == 0.0 {
        format!("{} million", n / 1e6)
    } else {
        format!("{n}")
    }
}

/// Where the licence was read for this component: its own evidence, or the chain it is
/// inherited through with the first relation's evidence.
fn licence_evidence(
    inventory: &Inventory,
    component: &str,
    facts: &ComponentLicensing,
    b: &Bound,
) -> Vec<String> {
    if b.is_own() {
        let mut out: Vec<String> = facts
            .evidence
            .iter()
            .filter(|e| e.licenses.iter().any(|l| *l == b.record.id))
            .map(|e| {
                let at = match (&e.path, e.span) {
                    (Some(p), Some(s)) => format!("{p}:{}", s.line),
                    (Some(p), None) => p.clone(),
                    (None, _) => "—".to_owned(),
                };
                format!("{at} ({})", e.source)
            })
            .collect();
        out.dedup();
        return out;
    }
    let first = b.via.first().map(String::as_str).unwrap_or_default();
    let relation = inventory.relations_from(component).find(|r| {
        r.to == first && matches!(r.kind, RelationKind::DerivedFrom | RelationKind::TrainedOn)
    });
    let mut out = vec![format!("inherited through {}", b.via.join(" → "))];
    if let Some(ev) = relation.and_then(|r| r.evidence.first()) {
        let line = ev.span.map(|s| format!(":{}", s.line)).unwrap_or_default();
        out.push(format!("{}{line} ({})", ev.path, ev.source));
    }
    out
}

fn usage_review<'p>(
    pool: &mut FindingPool<'p>,
    component: &str,
    licence: &str,
    key: &str,
) -> Vec<(&'p Finding, Option<String>)> {
    let subject = format!("review:{licence}:usage");
    let needle = format!("`{key}`");
    pool.take(component, "LIC010", |f| {
        f.subject == subject && f.message.contains(&needle)
    })
}

fn review<'p>(
    pool: &mut FindingPool<'p>,
    component: &str,
    licence: &str,
    term: &str,
) -> Vec<(&'p Finding, Option<String>)> {
    let subject = format!("review:{licence}:{term}");
    pool.take(component, "LIC010", |f| f.subject == subject)
}

fn violation<'p>(
    pool: &mut FindingPool<'p>,
    component: &str,
    code: &str,
    subject_prefix: &str,
) -> Vec<(&'p Finding, Option<String>)> {
    pool.take(component, code, |f| f.subject.starts_with(subject_prefix))
}

fn undeclared(key: &str) -> (Status, String) {
    (
        Status::NeedsReview,
        format!("`[project] {key}` is not declared; declaring it settles this term"),
    )
}

#[allow(clippy::too_many_lines)]
fn terms<'p>(
    inventory: &Inventory,
    pool: &mut FindingPool<'p>,
    component: &crate::inventory::Component,
    facts: &ComponentLicensing,
    b: &Bound,
) -> Vec<Term<'p>> {
    let r = &b.record;
    let id = component.id.as_str();
    let project: Option<&Project> = inventory.licensing.project.as_ref();
    let mut out = Vec::new();

    // Commercial use.
    let commercial = project.and_then(|p| p.commercial);
    let (requirement, otherwise) = match r.commercial.status {
        CommercialStatus::Allowed => (
            "Commercial use is allowed.".to_owned(),
            (Status::Met, "the licence allows it".to_owned()),
        ),
        CommercialStatus::Conditional => (
            format!(
                "Commercial use is allowed under the conditions below{}.",
                if r.commercial.registration_required {
                    ", after registering with the licensor"
                } else {
                    ""
                }
            ),
            match commercial {
                None => undeclared("commercial"),
                Some(true) => (
                    Status::Met,
                    "commercial use declared; conditions are checked row by row".to_owned(),
                ),
                Some(false) => (
                    Status::NotTriggered,
                    "the project declares no commercial use".to_owned(),
                ),
            },
        ),
        CommercialStatus::Forbidden => (
            "Commercial use is forbidden (research or non-commercial use only).".to_owned(),
            match commercial {
                None => undeclared("commercial"),
                Some(true) => (
                    Status::NeedsReview,
                    "commercial use declared but no finding recorded; check that LIC004 is enabled"
                        .to_owned(),
                ),
                Some(false) => (
                    Status::Met,
                    "the project declares no commercial use".to_owned(),
                ),
            },
        ),
        CommercialStatus::Unknown => (
            "The licence database does not state whether commercial use is allowed.".to_owned(),
            (Status::NeedsReview, "read the licence text".to_owned()),
        ),
    };
    out.push(Term {
        term: "commercial use",
        clause: clause_of(&r.commercial.clause),
        requirement,
        violations: violation(pool, id, "LIC004", &format!("commercial:{}", r.id)),
        reviews: usage_review(pool, id, &r.id, "commercial"),
        otherwise,
    });

    // Usage thresholds.
    for t in &r.threshold {
        let key = t.metric.project_key();
        let declared = project.and_then(|p| match t.metric {
            Metric::Mau => p.monthly_active_users,
            Metric::AnnualRevenueUsd => p.annual_revenue_usd,
            Metric::MonthlyRevenueUsd => p.monthly_revenue_usd,
        });
        let scope = if t.scope.is_empty() {
            String::new()
        } else {
            format!(", counted for {}", t.scope.replace('+', " and "))
        };
        let basis = match t.basis.as_str() {
            "release_date_snapshot" => ", measured once at the model's release date",
            "ongoing" => ", measured on an ongoing basis",
            _ => "",
        };
        let consequence = if t.on_exceed.is_empty() {
            "the licence's terms change".to_owned()
        } else {
            t.on_exceed.replace('_', " ")
        };
        let otherwise = match declared {
            None => undeclared(key),
            Some(_) if t.applies_if == "commercial" && commercial == Some(false) => (
                Status::NotTriggered,
                "applies to commercial use only".to_owned(),
            ),
            Some(d) => (
                Status::Met,
                format!(
                    "declared {} {} is within the limit",
                    number(d),
                    t.metric.describe()
                ),
            ),
        };
        let mut reviews = usage_review(pool, id, &r.id, key);
        reviews.extend(review(pool, id, &r.id, &format!("threshold-{key}")));
        out.push(Term {
            term: "usage threshold",
            clause: clause_of(&t.clause),
            requirement: format!(
                "Above {} {}{scope}{basis}: {consequence}.",
                number(t.limit),
                t.metric.describe()
            ),
            violations: violation(pool, id, "LIC005", &format!("threshold:{}:{key}", r.id)),
            reviews,
            otherwise,
        });
    }

    let triggered = project.and_then(|p| crate::rules::lic006::triggered(p, r));
    let redistributes = project.and_then(|p| p.redistributes_weights);
    let weights = component.kind.is_model_like();

    // Attribution phrase.
    if let Some(a) = r
        .attribution
        .as_ref()
        .filter(|a| !a.display_text.is_empty())
    {
        let phrases: Vec<String> = a.display_text.iter().map(|t| format!("\"{t}\"")).collect();
        let place = if a.display_where.is_empty() {
            String::new()
        } else {
            format!(" on one of: {}", a.display_where.join(", "))
        };
        let otherwise = match triggered {
            None => undeclared("redistributes_weights` and `hosts_as_service"),
            Some(false) => (
                Status::NotTriggered,
                "the project neither redistributes nor serves the model".to_owned(),
            ),
            Some(true) => (
                Status::Met,
                format!(
                    "shown in {}",
                    project
                        .map(|p| p.attribution_files.join(", "))
                        .unwrap_or_default()
                ),
            ),
        };
        out.push(Term {
            term: "attribution",
            clause: clause_of(&a.clause),
            requirement: format!("Display {} prominently{place}.", phrases.join(" or ")),
            violations: violation(pool, id, "LIC006", &format!("attribution:{}", r.id)),
            reviews: usage_review(pool, id, &r.id, "redistributes_weights"),
            otherwise,
        });
    }

    let on_redistribution = |what: &str| match (weights, redistributes) {
        (false, _) => (
            Status::NotTriggered,
            "applies to redistributed weights".to_owned(),
        ),
        (true, None) => undeclared("redistributes_weights"),
        (true, Some(false)) => (
            Status::NotTriggered,
            "the project does not redistribute weights".to_owned(),
        ),
        (true, Some(true)) => (Status::Met, format!("{what} found next to the weights")),
    };

    // Notice file.
    if let Some(a) = r
        .attribution
        .as_ref()
        .filter(|a| !a.notice_file.trim().is_empty())
    {
        out.push(Term {
            term: "notice",
            clause: clause_of(&a.clause),
            requirement: format!(
                "Ship this notice with every copy: \"{}\"",
                a.notice_file.trim()
            ),
            violations: violation(pool, id, "LIC006", &format!("notice:{}", r.id)),
            reviews: Vec::new(),
            otherwise: on_redistribution("the notice text"),
        });
    }

    // Licence copy and modified-file notices.
    if r.redistribution.license_copy {
        out.push(Term {
            term: "licence copy",
            clause: clause_of(&r.redistribution.clause),
            requirement: "Give every recipient a copy of the licence.".to_owned(),
            violations: violation(pool, id, "LIC006", &format!("license-copy:{}", r.id)),
            reviews: Vec::new(),
            otherwise: on_redistribution("a copy of the licence"),
        });
    }
    if r.redistribution.modified_file_notice {
        out.push(Term {
            term: "modified files",
            clause: clause_of(&r.redistribution.clause),
            requirement: "Mark every file you modified with a prominent notice.".to_owned(),
            violations: Vec::new(),
            reviews: Vec::new(),
            otherwise: match (weights, redistributes) {
                (true, Some(false)) | (false, _) => (
                    Status::NotTriggered,
                    "applies to redistributed weights".to_owned(),
                ),
                _ => (Status::NeedsReview, "not checked statically".to_owned()),
            },
        });
    }

    // Derivative naming.
    if let Some(n) = r
        .naming
        .as_ref()
        .filter(|n| !n.derivative_prefix.is_empty())
    {
        let kinds = derivation_kinds(inventory, id);
        let applies = kinds.iter().any(|k| naming_applies(&n.applies_to, k));
        let otherwise = if !applies {
            (
                Status::NotTriggered,
                "this component is not a derivative the clause covers".to_owned(),
            )
        } else if facts.names.is_empty() {
            undeclared("published_names")
        } else {
            (
                Status::Met,
                format!(
                    "published as {}",
                    facts
                        .names
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        let kinds_text = if n.applies_to.is_empty() {
            "derivative".to_owned()
        } else {
            n.applies_to.join(", ").replace('_', " ")
        };
        out.push(Term {
            term: "derivative name",
            clause: clause_of(&n.clause),
            requirement: format!(
                "A derivative ({kinds_text}) must be published under a name beginning with \"{}\".",
                n.derivative_prefix
            ),
            violations: violation(pool, id, "LIC007", &format!("name:{}:", r.id)),
            reviews: usage_review(pool, id, &r.id, "published_names"),
            otherwise,
        });
    }

    // Training other models on outputs.
    if let Some(o) = r
        .outputs
        .as_ref()
        .filter(|o| !o.train_other_models.is_empty())
    {
        let requirement = match o.train_other_models.as_str() {
            "forbidden" => "Outputs must not be used to train or improve other models.".to_owned(),
            "conditional" => format!(
                "Outputs may train other models only if {}.",
                match (o.condition.as_str(), r.naming.as_ref()) {
                    ("naming", Some(n)) => format!(
                        "the trained model's name begins with \"{}\"",
                        n.derivative_prefix
                    ),
                    ("", _) => "a condition is met".to_owned(),
                    (other, _) => other.replace('_', " "),
                }
            ),
            _ => "Outputs may be used to train other models.".to_owned(),
        };
        let otherwise = match project {
            _ if o.train_other_models == "allowed" => {
                (Status::Met, "the licence allows it".to_owned())
            }
            None => undeclared("distills_outputs"),
            Some(p) if p.distills_outputs.is_empty() => (
                Status::NotTriggered,
                "the project declares no model trained on outputs".to_owned(),
            ),
            Some(p) => (
                Status::Met,
                format!(
                    "declared targets ({}) meet the condition",
                    p.distills_outputs.join(", ")
                ),
            ),
        };
        out.push(Term {
            term: "outputs",
            clause: clause_of(&o.clause),
            requirement,
            violations: violation(pool, id, "LIC008", &format!("outputs:{}", r.id)),
            reviews: Vec::new(),
            otherwise,
        });
    }

    // Use restrictions.
    if let Some(u) = &r.use_restrictions {
        if u.flow_down_required {
            out.push(Term {
                term: "use-restriction flow-down",
                clause: clause_of(&u.clause),
                requirement: "Pass the use restrictions on, as enforceable terms, to everyone you distribute the model to or serve it to.".to_owned(),
                violations: Vec::new(),
                reviews: review(pool, id, &r.id, "flow-down"),
                otherwise: (Status::NeedsReview, "not checkable statically: read your terms of service".to_owned()),
            });
        }
        if !u.aup_url.is_empty() || !u.categories.is_empty() {
            let categories = if u.categories.is_empty() {
                String::new()
            } else {
                format!(
                    " (it forbids: {})",
                    u.categories.join(", ").replace('_', " ")
                )
            };
            let url = if u.aup_url.is_empty() {
                "the use policy".to_owned()
            } else {
                u.aup_url.clone()
            };
            out.push(Term {
                term: "acceptable use",
                clause: clause_of(&u.clause),
                requirement: format!(
                    "Comply with {url}{categories}{}.",
                    if u.mutable {
                        "; the licensor may change it"
                    } else {
                        ""
                    }
                ),
                violations: Vec::new(),
                reviews: review(pool, id, &r.id, "aup"),
                otherwise: (
                    Status::NeedsReview,
                    "not checkable statically: confirm your use cases".to_owned(),
                ),
            });
        }
    }

    // Regions.
    let geo_reviews = review(pool, id, &r.id, "geo");
    for (i, g) in r.geo.iter().filter(|g| !g.excluded.is_empty()).enumerate() {
        let regions = project.map(|p| p.regions.as_slice()).unwrap_or_default();
        let modality = if g.modality.is_empty() {
            String::new()
        } else {
            format!(" for {} models", g.modality)
        };
        let exempt = if g.end_users_exempt {
            "; end users of a product are exempt"
        } else {
            ""
        };
        out.push(Term {
            term: "regions",
            clause: clause_of(&g.clause),
            requirement: format!(
                "Rights are not granted in {}{modality}{exempt}.",
                g.excluded.join(", ")
            ),
            violations: Vec::new(),
            reviews: if i == 0 {
                geo_reviews.clone()
            } else {
                Vec::new()
            },
            otherwise: if regions.is_empty() {
                undeclared("regions")
            } else {
                (
                    Status::Met,
                    format!("declared regions: {}", regions.join(", ")),
                )
            },
        });
    }

    // Derivatives carry the licence.
    if !matches!(r.derivatives.copyleft.as_str(), "" | "none") {
        let what = match r.derivatives.copyleft.as_str() {
            "same_license" => "Derivatives must be released under the same licence.",
            "license_flow_down" => "Derivatives remain bound by this licence.",
            "use_restrictions_flow_down" => "Derivatives must carry the use restrictions.",
            _ => "Derivatives are bound by this licence's terms.",
        };
        let distillation = if r.derivatives.includes_distillation {
            " Distillation counts as a derivative."
        } else {
            ""
        };
        out.push(Term {
            term: "derivatives",
            clause: clause_of(&r.derivatives.clause),
            requirement: format!("{what}{distillation}"),
            violations: violation(pool, id, "LIC009", "relicensed:")
                .into_iter()
                .filter(|(f, _)| f.subject.ends_with(&format!(":{}", r.id)))
                .collect(),
            reviews: Vec::new(),
            otherwise: if b.is_own() {
                (
                    Status::NotTriggered,
                    "applies to derivatives of this component".to_owned(),
                )
            } else {
                (
                    Status::Met,
                    "no more permissive licence is declared on this derivative".to_owned(),
                )
            },
        });
    }

    // The organisation's own licence policy.
    let policy = &inventory.licensing.policy;
    let policy_findings = violation(pool, id, "LIC011", &format!("policy:{}", r.id));
    if !policy.allow.is_empty() || !policy.deny.is_empty() || !policy_findings.is_empty() {
        out.push(Term {
            term: "organisation policy",
            clause: "aibom.toml [licenses]".to_owned(),
            requirement:
                "The licence must be allowed (and not denied) by the organisation's licence policy."
                    .to_owned(),
            violations: policy_findings,
            reviews: Vec::new(),
            otherwise: (Status::Met, "allowed by [licenses]".to_owned()),
        });
    }
    out
}

fn row(term: Term<'_>, mut evidence: Vec<String>) -> ObligationRow {
    let (status, findings) = if !term.violations.is_empty() {
        (Status::Violated, term.violations)
    } else if !term.reviews.is_empty() {
        (Status::NeedsReview, term.reviews)
    } else {
        let (status, detail) = term.otherwise;
        return ObligationRow {
            term: term.term,
            clause: term.clause,
            requirement: term.requirement,
            status,
            detail,
            evidence,
            accepted: None,
        };
    };
    let mut codes = BTreeSet::new();
    let mut details = Vec::new();
    let mut accepted = Vec::new();
    for (f, why) in &findings {
        codes.insert(format!("{} ({})", f.code, f.severity.as_str()));
        details.push(f.message.clone());
        if let Some(why) = why {
            accepted.push(why.clone());
        }
    }
    details.dedup();
    evidence.extend(codes);
    ObligationRow {
        term: term.term,
        clause: term.clause,
        requirement: term.requirement,
        status,
        detail: details.join(" "),
        evidence,
        // Accepted only when every finding behind the status is.
        accepted: (accepted.len() == findings.len()).then(|| accepted.join("; ")),
    }
}

/// The obligations of every local model, adapter, quantization, merge, dataset and corpus.
pub fn evaluate(inventory: &Inventory, pool: &mut FindingPool<'_>) -> Vec<ComponentObligations> {
    let mut out = Vec::new();
    let evaluated: BTreeSet<&str> = local_components(inventory)
        .iter()
        .map(|(c, _)| c.id.as_str())
        .collect();
    for c in inventory
        .components
        .values()
        .filter(|c| !c.external && (c.kind.is_model_like() || c.kind.is_data()))
    {
        let mut licences = Vec::new();
        if let Some(facts) = inventory.licensing.component(&c.id) {
            for b in &facts.bound {
                let evidence = licence_evidence(inventory, &c.id, facts, b);
                let rows = terms(inventory, pool, c, facts, b)
                    .into_iter()
                    .map(|t| row(t, evidence.clone()))
                    .collect();
                let via = b.source().map(|source| {
                    let name = inventory
                        .component(source)
                        .map(|s| s.hub_id.clone().unwrap_or_else(|| s.name.clone()))
                        .unwrap_or_else(|| source.to_owned());
                    match &b.relation {
                        Some(rel) if rel == "trained_on" => {
                            format!("inherited from training data {name}")
                        }
                        Some(rel) => format!("inherited from {name} ({rel})"),
                        None => format!("inherited from {name}"),
                    }
                });
                licences.push(LicenceBlock {
                    id: b.record.id.clone(),
                    name: b.record.name.clone(),
                    via,
                    rows,
                });
            }
        }
        let other_findings = pool.remaining(Family::Lic, Some(&c.id));
        if licences.is_empty() && other_findings.is_empty() && !evaluated.contains(c.id.as_str()) {
            continue;
        }
        out.push(ComponentObligations {
            id: c.id.clone(),
            name: c.name.clone(),
            kind: c.kind.as_str(),
            concluded: super::model::licence_summary(c),
            commercial: inventory
                .licensing
                .component(&c.id)
                .map_or("unknown", |f| f.commercial().as_str()),
            licences,
            other_findings,
        });
    }
    out
}
