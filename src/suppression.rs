//! Exceptions (`[[exception]]` in `aibom.toml`) and baselines (`--baseline FILE`): accepted
//! findings that are kept out of the failing set, and the hygiene findings that keep them honest.
//!
//! A suppressed finding is not dropped: it moves to `ScanResult::suppressed` with the reason,
//! so JSON lists it under `suppressed` and SARIF carries it with a `suppressions` entry. It never
//! counts towards `--fail-on`. Exceptions and baseline entries that no longer match anything are
//! findings themselves (`EXC001` unused exception, `EXC002` expired exception, `EXC003` stale
//! baseline entry), so accepted risk does not outlive its reason.
//!
//! Baselines are keyed on finding fingerprints (rule, component, subject), never on line
//! numbers: inserting lines above a baselined finding does not make it new.

use std::collections::{BTreeMap, BTreeSet};

use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

use crate::artifact::text::TextSpan;
use crate::finding::Finding;
use crate::inventory::Inventory;
use crate::policy::Policy;
use crate::rules::RuleMeta;

/// Why a finding is not reported as active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// An `[[exception]]` in the config.
    Exception,
    /// An entry of the `--baseline` file.
    Baseline,
}

#[derive(Debug, Clone, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
}

/// A finding accepted by an exception or a baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    #[serde(flatten)]
    pub finding: Finding,
    pub suppression: Suppression,
}

/// A calendar date (proleptic Gregorian), for exception expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, checked (month 1–12, a day that exists in that month).
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// The date of a Unix timestamp, in UTC.
    pub fn from_unix(seconds: i64) -> Date {
        // Howard Hinnant's civil-from-days algorithm.
        let days = seconds.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set (reproducible runs and
    /// tests).
    pub fn today() -> Date {
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Date::from_unix(seconds)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A validated `[[exception]]`.
#[derive(Debug, Clone)]
pub struct Exception {
    pub rule: &'static str,
    /// The glob as written and its matcher; matched against the finding's path and its
    /// component's path.
    pub path: Option<(String, GlobMatcher)>,
    pub component: Option<String>,
    pub reason: String,
    pub expires: Option<Date>,
    /// Where the exception's `rule` key is in the config file.
    pub span: TextSpan,
}

impl Exception {
    fn matches(&self, finding: &Finding, inventory: &Inventory) -> bool {
        if finding.code != self.rule {
            return false;
        }
        if let Some(id) = &self.component
            && finding.component.as_deref() != Some(id.as_str())
        {
            return false;
        }
        if let Some((_, glob)) = &self.path {
            let own = finding.location.as_ref().map(|l| l.path.as_str());
            let component = finding
                .component
                .as_deref()
                .and_then(|id| inventory.component(id))
                .and_then(|c| c.path.as_deref());
            if !own.into_iter().chain(component).any(|p| glob.is_match(p)) {
                return false;
            }
        }
        true
    }

    /// What the exception covers, for messages and fingerprints: `MOD002 path=models/**`.
    pub fn describe(&self) -> String {
        let mut text = self.rule.to_owned();
        if let Some((glob, _)) = &self.path {
            text.push_str(&format!(" path={glob}"));
        }
        if let Some(id) = &self.component {
            text.push_str(&format!(" component={id}"));
        }
        text
    }
}

/// A `--baseline` file: accepted findings by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub format: String,
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub subject: String,
    pub message: String,
}

pub const BASELINE_FORMAT: &str = "aibom-baseline";
pub const BASELINE_VERSION: u32 = 1;
/// A baseline larger than this is refused rather than read.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

impl Baseline {
    /// The baseline accepting `findings` (active ones and those a previous baseline accepted),
    /// sorted by fingerprint so the file diffs well.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let entries: BTreeMap<&str, BaselineEntry> = findings
            .into_iter()
            .map(|f| {
                (
                    f.fingerprint.as_str(),
                    BaselineEntry {
                        fingerprint: f.fingerprint.clone(),
                        rule: f.code.to_owned(),
                        component: f.component.clone(),
                        subject: f.subject.clone(),
                        message: f.message.clone(),
                    },
                )
            })
            .collect();
        Baseline {
            format: BASELINE_FORMAT.to_owned(),
            version: BASELINE_VERSION,
            findings: entries.into_values().collect(),
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let baseline: Baseline =
            serde_json::from_str(text).map_err(|e| format!("not an aibom baseline: {e}"))?;
        if baseline.format != BASELINE_FORMAT {
            return Err(format!(
                "not an aibom baseline: `format` is `{}`, expected `{BASELINE_FORMAT}`",
                baseline.format
            ));
        }
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported (this aibom reads version {BASELINE_VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Read a baseline file (bounded).
    pub fn load(path: &std::path::Path) -> Result<Baseline, String> {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut text = String::new();
        file.take(MAX_BASELINE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        if text.len() as u64 > MAX_BASELINE_BYTES {
            return Err(format!(
                "larger than {} MiB",
                MAX_BASELINE_BYTES / 1024 / 1024
            ));
        }
        Baseline::parse(&text)
    }
}

/// A baseline to apply, with how to name it in findings (`path` as the user gave it, or
/// relative to the scanned root when it is inside).
#[derive(Debug, Clone)]
pub struct BaselineInput {
    pub baseline: Baseline,
    pub path: String,
}

/// Apply exceptions, then the baseline. Returns the active findings (with the `EXC` findings
/// added, sorted) and the suppressed ones.
pub fn apply(
    findings: Vec<Finding>,
    inventory: &Inventory,
    policy: &Policy,
    config_path: Option<&str>,
    baseline: Option<&BaselineInput>,
    today: Date,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let mut active = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    let mut used = vec![false; policy.exceptions.len()];
    for finding in findings {
        let matched = policy
            .exceptions
            .iter()
            .enumerate()
            .find(|(_, e)| e.matches(&finding, inventory));
        match matched {
            Some((i, exception)) => {
                used[i] = true;
                if exception.expires.is_some_and(|d| d < today) {
                    active.push(finding);
                } else {
                    suppressed.push(Suppressed {
                        finding,
                        suppression: Suppression {
                            kind: SuppressionKind::Exception,
                            reason: exception.reason.clone(),
                        },
                    });
                }
            }
            None => active.push(finding),
        }
    }

    let mut hygiene = Vec::new();
    for (exception, used) in policy.exceptions.iter().zip(used) {
        let expired = exception.expires.filter(|d| *d < today);
        let (meta, message, help) = match expired {
            Some(date) => (
                &crate::rules::exc002::META,
                format!(
                    "the exception for {} expired on {date}; its findings are reported again",
                    exception.describe()
                ),
                "fix the findings and delete the exception, or review them again and move \
                 `expires` to a new date with an updated `reason`",
            ),
            None if !used => (
                &crate::rules::exc001::META,
                format!(
                    "the exception for {} matches no finding; remove it",
                    exception.describe()
                ),
                "delete the exception, or correct its `path`/`component` so it matches the \
                 finding it was written for (`aibom scan --format json` shows both)",
            ),
            None => continue,
        };
        hygiene.push(
            hygiene_finding(
                meta,
                policy,
                exception.describe(),
                message,
                config_path,
                Some(exception.span),
            )
            .map(|f| f.with_help(help)),
        );
    }

    if let Some(input) = baseline {
        let accepted: BTreeSet<&str> = input
            .baseline
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let mut seen = BTreeSet::new();
        let mut still_active = Vec::with_capacity(active.len());
        for finding in active {
            if accepted.contains(finding.fingerprint.as_str()) {
                seen.insert(finding.fingerprint.clone());
                suppressed.push(Suppressed {
                    finding,
                    suppression: Suppression {
                        kind: SuppressionKind::Baseline,
                        reason: format!("accepted in the baseline {}", input.path),
                    },
                });
            } else {
                still_active.push(finding);
            }
        }
        // A finding an exception accepts is still present: its baseline entry is not stale.
        for s in &suppressed {
            seen.insert(s.finding.fingerprint.clone());
        }
        active = still_active;
        for entry in &input.baseline.findings {
            if seen.contains(&entry.fingerprint) {
                continue;
            }
            let subject = entry.fingerprint.clone();
            let what = match &entry.component {
                Some(c) => format!("{} on {c} ({})", entry.rule, entry.subject),
                None => format!("{} ({})", entry.rule, entry.subject),
            };
            hygiene.push(hygiene_finding(
                &crate::rules::exc003::META,
                policy,
                subject,
                format!(
                    "the baseline entry for {what} matches no finding any more; regenerate the baseline with --write-baseline"
                ),
                Some(&input.path),
                None,
            )
            .map(|f| {
                f.with_help("regenerate the baseline with `aibom scan --write-baseline FILE` once the current findings are reviewed")
            }));
        }
    }

    active.extend(hygiene.into_iter().flatten());
    active.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    (active, suppressed)
}

fn hygiene_finding(
    meta: &'static RuleMeta,
    policy: &Policy,
    subject: String,
    message: String,
    path: Option<&str>,
    span: Option<TextSpan>,
) -> Option<Finding> {
    let severity = policy.severity(meta.code)?;
    let mut finding = Finding::new(meta, None, subject, message);
    finding.severity = severity;
    Some(match path {
        Some(path) => finding.at(path, span.or(Some(TextSpan::first_line()))),
        None => finding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly_and_order() {
        assert_eq!(
            Date::parse("2026-02-28"),
            Some(Date {
                year: 2026,
                month: 2,
                day: 28
            })
        );
        assert_eq!(Date::parse("2026-02-29"), None);
        assert!(Date::parse("2024-02-29").is_some());
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("2026-1-01"), None);
        assert_eq!(Date::parse("26-01-01"), None);
        assert!(Date::parse("2026-01-02") > Date::parse("2026-01-01"));
    }

    #[test]
    fn unix_days_convert_to_civil_dates() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix(1_798_761_599).to_string(), "2026-12-31");
        assert_eq!(Date::from_unix(-86_400).to_string(), "1969-12-31");
    }

    #[test]
    fn baselines_round_trip_and_reject_other_files() {
        let b = Baseline {
            format: BASELINE_FORMAT.into(),
            version: 1,
            findings: vec![],
        };
        let text = serde_json::to_string(&b).unwrap();
        assert_eq!(Baseline::parse(&text).unwrap(), b);
        assert!(Baseline::parse("{\"format\":\"x\",\"version\":1,\"findings\":[]}").is_err());
        assert!(
            Baseline::parse("{\"format\":\"aibom-baseline\",\"version\":9,\"findings\":[]}")
                .is_err()
        );
        assert!(Baseline::parse("[]").is_err());
    }
}
