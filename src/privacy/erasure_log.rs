//! The erasure log: JSON Lines, one erasure request a line (`docs/erasure-log.md`).
//!
//! Parsing is pure (bytes in, requests and problems out): a malformed line is a problem with its
//! line number, never a panic, and the rest of the log is still read. A subject written in clear
//! is a problem too — and its value is never copied into the problem's message.

use serde_json::Value;

use crate::suppression::Date;

/// The log is read up to this size.
pub const MAX_LOG_BYTES: u64 = 16 * 1024 * 1024;
/// A line longer than this is a problem, not a request.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Default)]
pub struct ErasureLog {
    /// Repository-relative path.
    pub path: String,
    pub requests: Vec<ErasureRequest>,
    pub problems: Vec<LogProblem>,
    /// The log could not be read at all (missing, too large, outside the repository …).
    pub unreadable: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    pub request_id: String,
    /// 1-based line in the log.
    pub line: u32,
    pub received_at: Date,
    pub completed_at: Option<Date>,
    /// `extended: true` or `extension_until`: the Art. 12(3) extension of two further months.
    pub extended: bool,
    pub extension_until: Option<Date>,
    pub subject: Subject,
    /// Corpus ids the request covers.
    pub scope: Vec<String>,
    pub models_addressed: Vec<ModelAction>,
}

impl ErasureRequest {
    /// When the request must be answered: one month after receipt, three with a recorded
    /// extension (an `extension_until` earlier than that is the deadline).
    pub fn deadline(&self) -> Date {
        if self.extended || self.extension_until.is_some() {
            let limit = add_months(self.received_at, 3);
            self.extension_until.map_or(limit, |until| until.min(limit))
        } else {
            add_months(self.received_at, 1)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `hmac:<64 hex>`.
    Hashed([u8; 32]),
    /// Anything else: an identifier in clear (or garbage); the value is not kept.
    Clear,
    Missing,
}

/// One `models_addressed` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelAction {
    pub model: String,
    /// `retrained`, `filtered` or `unlearned:<method>`.
    pub action: String,
    pub date: Option<Date>,
}

impl ModelAction {
    /// Whether the action removes the subject's influence from the weights or their outputs.
    pub fn addresses(&self) -> bool {
        matches!(self.action.as_str(), "retrained" | "filtered")
            || self
                .action
                .strip_prefix("unlearned:")
                .is_some_and(|m| !m.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogProblem {
    pub line: u32,
    /// What is wrong, stable across edits (for fingerprints): `malformed`, `subject-in-clear` …
    pub kind: &'static str,
    /// The request id when the line has one, else a short hash of the line.
    pub key: String,
    pub message: String,
}

/// Parse a log's bytes.
pub fn parse(path: &str, bytes: &[u8]) -> ErasureLog {
    let mut log = ErasureLog {
        path: path.to_owned(),
        ..ErasureLog::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let key = line_key(raw);
        let mut problem = |kind: &'static str, key: String, message: String| {
            log.problems.push(LogProblem {
                line,
                kind,
                key,
                message,
            })
        };
        if raw.len() > MAX_LINE_BYTES {
            problem(
                "malformed",
                key,
                format!("line {line} is longer than {MAX_LINE_BYTES} bytes"),
            );
            continue;
        }
        let value: Value = match serde_json::from_slice(raw) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                problem(
                    "malformed",
                    key,
                    format!("line {line} is not a JSON object"),
                );
                continue;
            }
            Err(e) => {
                problem(
                    "malformed",
                    key,
                    format!("line {line} is not valid JSON ({})", e.classify_name()),
                );
                continue;
            }
        };
        match request(&value, line) {
            Ok(request) => {
                if matches!(request.subject, Subject::Clear) {
                    problem(
                        "subject-in-clear",
                        request.request_id.clone(),
                        format!(
                            "request {} (line {line}) stores its subject in clear; the log may only hold `hmac:<hex>` keyed hashes",
                            request.request_id
                        ),
                    );
                }
                if !seen.insert(request.request_id.clone()) {
                    problem(
                        "duplicate-request",
                        request.request_id.clone(),
                        format!(
                            "request {} appears again on line {line}",
                            request.request_id
                        ),
                    );
                }
                log.requests.push(request);
            }
            Err(message) => {
                let id = value
                    .get("request_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .filter(|s| !s.is_empty() && s.len() <= 200);
                let label = id.clone().map_or_else(
                    || format!("line {line}"),
                    |id| format!("request {id} (line {line})"),
                );
                problem(
                    "malformed",
                    id.unwrap_or(key),
                    format!("{label}: {message}"),
                );
            }
        }
    }
    log
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// A short content hash of a line, for problems on lines without a request id (never the line).
fn line_key(raw: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(raw);
    format!("line-{}", &crate::artifact::hex(&digest)[..12])
}

fn request(value: &Value, line: u32) -> Result<ErasureRequest, String> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::trim);
    let request_id = text("request_id")
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .ok_or("`request_id` is missing or not a string")?
        .to_owned();
    let date_of = |key: &str| -> Result<Option<Date>, String> {
        match value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => parse_date(s)
                .map(Some)
                .ok_or_else(|| format!("`{key}` is not a date (YYYY-MM-DD)")),
            Some(_) => Err(format!("`{key}` is not a date (YYYY-MM-DD)")),
        }
    };
    let received_at = date_of("received_at")?.ok_or("`received_at` is missing")?;
    let completed_at = date_of("completed_at")?;
    let extension_until = date_of("extension_until")?;
    let extended = match value.get("extended") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("`extended` is not true or false".to_owned()),
    };
    let subject = match value.get("subject") {
        None | Some(Value::Null) => Subject::Missing,
        Some(Value::String(s)) => match super::subject::parse_hashed(s.trim()) {
            Some(digest) => Subject::Hashed(digest),
            None if s.trim().is_empty() => Subject::Missing,
            None => Subject::Clear,
        },
        Some(_) => Subject::Clear,
    };
    let scope = match value.get("scope") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_owned()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_owned()))
            .collect::<Option<Vec<_>>>()
            .ok_or("`scope` must be a list of corpus ids")?,
        Some(_) => return Err("`scope` must be a list of corpus ids".to_owned()),
    };
    let mut models_addressed = Vec::new();
    match value.get("models_addressed") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let model = item.get("model").and_then(Value::as_str);
                let action = item.get("action").and_then(Value::as_str);
                let (Some(model), Some(action)) = (model, action) else {
                    return Err(
                        "each `models_addressed` entry needs `model` and `action`".to_owned()
                    );
                };
                let date = match item.get("date") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(
                        parse_date(s)
                            .ok_or("a `models_addressed` date is not a date (YYYY-MM-DD)")?,
                    ),
                    Some(_) => {
                        return Err(
                            "a `models_addressed` date is not a date (YYYY-MM-DD)".to_owned()
                        );
                    }
                };
                models_addressed.push(ModelAction {
                    model: model.trim().to_owned(),
                    action: action.trim().to_owned(),
                    date,
                });
            }
        }
        Some(_) => return Err("`models_addressed` must be a list".to_owned()),
    }
    Ok(ErasureRequest {
        request_id,
        line,
        received_at,
        completed_at,
        extended,
        extension_until,
        subject,
        scope,
        models_addressed,
    })
}

/// `YYYY-MM-DD`, or an RFC 3339 date-time (its day).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    match s.get(..10) {
        Some(day) if s.len() == 10 || matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) => {
            Date::parse(day)
        }
        _ => None,
    }
}

/// The same day `months` later, clamped to the end of a shorter month.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.month - 1 + months;
    let year = date.year + (total / 12) as i32;
    let month = total % 12 + 1;
    let mut day = date.day;
    while Date::parse(&format!("{year:04}-{month:02}-{day:02}")).is_none() && day > 28 {
        day -= 1;
    }
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "hmac:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn reads_requests_and_reports_bad_lines_with_their_numbers() {
        let text = format!(
            "{{\"request_id\":\"E-1\",\"received_at\":\"2025-03-02\",\"completed_at\":\"2025-03-20T10:00:00Z\",\"subject\":\"{HASH}\",\"scope\":[\"c\"],\"models_addressed\":[{{\"model\":\"m\",\"action\":\"retrained\",\"date\":\"2025-04-01\"}}]}}\n\
             not json\n\
             \n\
             {{\"request_id\":\"E-2\",\"received_at\":\"yesterday\"}}\n\
             {{\"request_id\":\"E-3\",\"received_at\":\"2025-01-31\",\"subject\":\"someone@example.com\",\"extended\":true}}\n\
             [1,2]\n"
        );
        let log = parse("log.jsonl", text.as_bytes());
        assert_eq!(log.requests.len(), 2);
        let first = &log.requests[0];
        assert!(matches!(first.subject, Subject::Hashed(_)));
        assert_eq!(
            first.completed_at.map(|d| d.to_string()).as_deref(),
            Some("2025-03-20")
        );
        assert_eq!(first.deadline().to_string(), "2025-04-02");
        assert!(first.models_addressed[0].addresses());
        assert_eq!(log.requests[1].deadline().to_string(), "2025-04-30");
        let lines: Vec<(u32, &str)> = log.problems.iter().map(|p| (p.line, p.kind)).collect();
        assert_eq!(
            lines,
            [
                (2, "malformed"),
                (4, "malformed"),
                (5, "subject-in-clear"),
                (6, "malformed")
            ]
        );
        assert!(log.problems.iter().all(|p| !p.message.contains("someone")));
        assert_eq!(log.problems[1].key, "E-2");
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        let d = Date::parse("2024-01-31").unwrap();
        assert_eq!(add_months(d, 1).to_string(), "2024-02-29");
        assert_eq!(add_months(d, 11).to_string(), "2024-12-31");
        assert_eq!(add_months(d, 12).to_string(), "2025-01-31");
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        for bytes in [
            &b"\xff\xfe{"[..],
            b"{\"request_id\":1}",
            b"{\"models_addressed\":[1]}",
            b"\n\n\r\n",
        ] {
            let _ = parse("x", bytes);
        }
    }
}
