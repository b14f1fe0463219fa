//! `[[exception]]` entries of `aibom.toml`: validated once into `suppression::Exception`, with
//! every error pointing at the offending key. Applying them is `suppression::apply`'s job.

use std::ops::Range;

use globset::Glob;

use super::config::{ConfigError, RawException};
use crate::artifact::text::TextSpan;
use crate::suppression::{Date, Exception};

type ErrFn<'a> = &'a dyn Fn(String, Range<usize>, &str) -> Box<ConfigError>;

/// Check one `[[exception]]`: a known rule, a path glob or a component id, a non-empty reason,
/// and an expiry that is a real date.
pub fn validate(
    raw: &RawException,
    text: &str,
    err: ErrFn<'_>,
) -> Result<Exception, Box<ConfigError>> {
    let Some(rule) = crate::rules::find(raw.rule.get_ref()) else {
        return Err(err(
            format!("unknown rule `{}` in [[exception]]", raw.rule.get_ref()),
            raw.rule.span(),
            "no rule has this code",
        )
        .help("`aibom rules` lists every rule"));
    };
    let path = match &raw.path {
        Some(p) => {
            let glob = Glob::new(p.get_ref()).map_err(|e| {
                err(
                    format!("invalid exception path glob: {}", e.kind()),
                    p.span(),
                    "this glob",
                )
            })?;
            Some((p.get_ref().clone(), glob.compile_matcher()))
        }
        None => None,
    };
    let component = raw.component.as_ref().map(|c| c.get_ref().clone());
    if path.is_none() && component.is_none() {
        return Err(err(
            format!(
                "the [[exception]] for {} needs a `path` glob or a `component` id",
                rule.meta().code
            ),
            raw.rule.span(),
            "this exception applies to nothing",
        )
        .help("add `path = \"models/acme/**\"` or `component = \"model:models/acme\"`"));
    }
    let reason = match &raw.reason {
        Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().trim().to_owned(),
        Some(r) => {
            return Err(err(
                "an exception's `reason` must not be empty".to_owned(),
                r.span(),
                "empty reason",
            ));
        }
        None => {
            return Err(err(
                format!("the [[exception]] for {} has no `reason`", rule.meta().code),
                raw.rule.span(),
                "every exception needs a reason",
            )
            .help("say why the finding is accepted, e.g. `reason = \"reviewed in SEC-1234\"`"));
        }
    };
    let expires = match &raw.expires {
        None => None,
        Some(value) => {
            let date = match value.get_ref() {
                toml::Value::String(s) => Date::parse(s),
                toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
                    Date::parse(&d.to_string())
                }
                _ => None,
            };
            Some(date.ok_or_else(|| {
                err(
                    "an exception's `expires` must be a date".to_owned(),
                    value.span(),
                    "expected YYYY-MM-DD",
                )
                .help("write `expires = 2026-12-31`")
            })?)
        }
    };
    Ok(Exception {
        rule: rule.meta().code,
        path,
        component,
        reason,
        expires,
        span: TextSpan::at(text, raw.rule.span().start, raw.rule.span().len()),
    })
}
