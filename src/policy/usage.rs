//! `[project]` (how the repository's models are used) and `[licenses]` (allow, deny, clarify)
//! in `aibom.toml`: raw tables with spans, validated into the types the licence engine reads.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::config::ConfigError;
use crate::license::LicenseDb;

type ErrFn<'a> = &'a dyn Fn(String, Range<usize>, &str) -> Box<ConfigError>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    pub commercial: Option<bool>,
    pub monthly_active_users: Option<Spanned<i64>>,
    pub annual_revenue_usd: Option<Spanned<f64>>,
    pub monthly_revenue_usd: Option<Spanned<f64>>,
    pub hosts_as_service: Option<bool>,
    pub redistributes_weights: Option<bool>,
    #[serde(default)]
    pub regions: Vec<String>,
    /// Names of the models this project trains on the outputs of its models (distillation,
    /// synthetic data).
    #[serde(default)]
    pub distills_outputs: Vec<String>,
    /// The names under which the repository's derivative models are published.
    #[serde(default)]
    pub published_names: Vec<String>,
    /// Repository-relative files where attribution is displayed (README, NOTICE, docs).
    #[serde(default)]
    pub attribution_files: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicenses {
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    #[serde(default)]
    pub deny: Vec<Spanned<String>>,
    #[serde(default)]
    pub clarify: Vec<RawClarify>,
    pub license_review_max_age_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClarify {
    /// The repository-relative file the decision is pinned to.
    pub path: Spanned<String>,
    pub sha256: Spanned<String>,
    pub license: Spanned<String>,
    pub reason: Spanned<String>,
    pub reviewed: Spanned<toml::Value>,
}

/// The declared usage. `None` fields were not declared: terms that depend on them need review.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    pub commercial: Option<bool>,
    pub monthly_active_users: Option<f64>,
    pub annual_revenue_usd: Option<f64>,
    pub monthly_revenue_usd: Option<f64>,
    pub hosts_as_service: Option<bool>,
    pub redistributes_weights: Option<bool>,
    pub regions: Vec<String>,
    pub distills_outputs: Vec<String>,
    pub published_names: Vec<String>,
    pub attribution_files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LicensePolicy {
    /// Record ids; empty = every licence is allowed unless denied.
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    pub clarify: Vec<Clarify>,
    pub review_max_age_days: Option<u32>,
}

/// A pinned decision: the file at `path` with this hash is licensed under `license`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clarify {
    pub path: String,
    pub sha256: String,
    pub license: String,
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub reviewed: String,
    /// Days since 1970-01-01.
    pub reviewed_day: i64,
}

pub fn validate_project(
    raw: Option<RawProject>,
    err: ErrFn<'_>,
) -> Result<Option<Project>, Box<ConfigError>> {
    let Some(raw) = raw else { return Ok(None) };
    let non_negative =
        |v: &Option<Spanned<f64>>, key: &str| -> Result<Option<f64>, Box<ConfigError>> {
            match v {
                Some(s) if !s.get_ref().is_finite() || *s.get_ref() < 0.0 => Err(err(
                    format!("`{key}` must be a non-negative number"),
                    s.span(),
                    "here",
                )),
                Some(s) => Ok(Some(*s.get_ref())),
                None => Ok(None),
            }
        };
    let mau = match &raw.monthly_active_users {
        Some(s) if *s.get_ref() < 0 => {
            return Err(err(
                "`monthly_active_users` must not be negative".to_owned(),
                s.span(),
                "here",
            ));
        }
        Some(s) => Some(*s.get_ref() as f64),
        None => None,
    };
    let mut attribution_files = Vec::new();
    for f in &raw.attribution_files {
        let path = f.get_ref();
        if crate::inventory::normalize(path).is_none() || path.starts_with('/') {
            return Err(err(
                format!("attribution file `{path}` is not a path inside the repository"),
                f.span(),
                "here",
            ));
        }
        attribution_files.push(path.clone());
    }
    Ok(Some(Project {
        commercial: raw.commercial,
        monthly_active_users: mau,
        annual_revenue_usd: non_negative(&raw.annual_revenue_usd, "annual_revenue_usd")?,
        monthly_revenue_usd: non_negative(&raw.monthly_revenue_usd, "monthly_revenue_usd")?,
        hosts_as_service: raw.hosts_as_service,
        redistributes_weights: raw.redistributes_weights,
        regions: raw.regions,
        distills_outputs: raw.distills_outputs,
        published_names: raw.published_names,
        attribution_files,
    }))
}

pub fn validate_licenses(
    raw: Option<RawLicenses>,
    db: &LicenseDb,
    err: ErrFn<'_>,
) -> Result<LicensePolicy, Box<ConfigError>> {
    let Some(raw) = raw else {
        return Ok(LicensePolicy::default());
    };
    let resolve = |id: &Spanned<String>| -> Result<String, Box<ConfigError>> {
        db.lookup(id.get_ref())
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                let mut e = err(
                    format!("unknown licence `{}`", id.get_ref()),
                    id.span(),
                    "not in the licence database",
                );
                e.help = Some(
                    "`aibom licenses` lists the known ids; add your own with --license-db"
                        .to_owned(),
                );
                e
            })
    };
    let allow = raw
        .allow
        .iter()
        .map(resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let deny = raw
        .deny
        .iter()
        .map(resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let mut clarify = Vec::new();
    for c in &raw.clarify {
        let sha = c.sha256.get_ref().to_ascii_lowercase();
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err(
                "`sha256` must be 64 hexadecimal digits".to_owned(),
                c.sha256.span(),
                "here",
            ));
        }
        if c.reason.get_ref().trim().is_empty() {
            return Err(err(
                "a clarification needs a reason".to_owned(),
                c.reason.span(),
                "empty",
            ));
        }
        let reviewed = match c.reviewed.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            _ => String::new(),
        };
        let Some(reviewed_day) = parse_date(&reviewed) else {
            return Err(err(
                "`reviewed` must be a date, YYYY-MM-DD".to_owned(),
                c.reviewed.span(),
                "not a date",
            ));
        };
        clarify.push(Clarify {
            path: c.path.get_ref().clone(),
            sha256: sha,
            license: resolve(&c.license)?,
            reason: c.reason.get_ref().clone(),
            reviewed,
            reviewed_day,
        });
    }
    let review_max_age_days = match &raw.license_review_max_age_days {
        Some(d) if *d.get_ref() < 1 || *d.get_ref() > u32::MAX as i64 => {
            return Err(err(
                "`license_review_max_age_days` must be a positive number of days".to_owned(),
                d.span(),
                "here",
            ));
        }
        Some(d) => Some(*d.get_ref() as u32),
        None => None,
    };
    Ok(LicensePolicy {
        allow,
        deny,
        clarify,
        review_max_age_days,
    })
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; `None` when it is not a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: Range<usize>| -> Option<i64> {
        let s = &text[r];
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// The proleptic Gregorian day number (days-from-civil).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-03-01"), Some(19783));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-1-01"), None);
    }
}
