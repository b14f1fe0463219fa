//! `[[corpus]]`, `[[model]]` and `[privacy]` of `aibom.toml`: raw TOML with spans, validated once
//! into `privacy::manifest::Manifest`. Unknown keys, bad types, bad dates, unknown PII types and
//! legal bases are config errors pointing at their line and column. References between entries
//! (`trained_on`, `derived_from`) are not checked here: a dangling one is a finding (LIN003), not a
//! reason to refuse the whole config.

use std::ops::Range;

use globset::{GlobBuilder, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::config::ConfigError;
use crate::artifact::text::TextSpan;
use crate::pii::PiiType;
use crate::privacy::manifest::{
    CorpusDecl, DEFAULT_KEY_ENV, Declared, LegalBasis, Manifest, ModelDecl, TrainedOn,
};
use crate::suppression::Date;

type ErrFn<'a> = &'a dyn Fn(String, Range<usize>, &str) -> Box<ConfigError>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    pub hmac_key_env: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorpus {
    pub id: Spanned<String>,
    /// A glob or a list of globs.
    pub path: Option<Spanned<toml::Value>>,
    pub sha256: Option<Spanned<String>>,
    #[serde(default)]
    pub derived_from: Vec<Spanned<String>>,
    pub contains_pii: Option<Spanned<bool>>,
    #[serde(default)]
    pub pii_types: Vec<Spanned<String>>,
    pub legal_basis: Option<Spanned<String>>,
    pub original_purpose: Option<Spanned<String>>,
    pub retention_until: Option<Spanned<toml::Value>>,
    pub erasure_procedure: Option<Spanned<String>>,
    pub erasure_log: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub id: Spanned<String>,
    pub path: Option<Spanned<String>>,
    pub base_model: Option<Spanned<String>>,
    pub published_name: Option<Spanned<String>>,
    pub trained_at: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub trained_on: Vec<Spanned<RawTrainedOn>>,
    pub erasure_strategy: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrainedOn {
    pub corpus: Spanned<String>,
    pub sha256: Option<Spanned<String>>,
}

/// Validate the privacy tables. `file` names the config in finding locations.
pub fn validate(
    privacy: Option<&RawPrivacy>,
    corpora: &[RawCorpus],
    models: &[RawModel],
    file: &str,
    text: &str,
    err: ErrFn<'_>,
) -> Result<Manifest, Box<ConfigError>> {
    let span_of = |r: Range<usize>| TextSpan::at(text, r.start, r.len());
    let key_env = match privacy.and_then(|p| p.hmac_key_env.as_ref()) {
        Some(name) => {
            let value = name.get_ref().trim();
            let valid = !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                return Err(err(
                    format!("invalid environment variable name `{value}`"),
                    name.span(),
                    "expected letters, digits and `_`",
                )
                .help("write `hmac_key_env = \"AIBOM_ERASURE_KEY\"`"));
            }
            value.to_owned()
        }
        None => DEFAULT_KEY_ENV.to_owned(),
    };

    let mut manifest = Manifest {
        file: file.to_owned(),
        key_env,
        ..Manifest::default()
    };
    for raw in corpora {
        let id = non_empty_id(&raw.id, "corpus", err)?;
        if manifest.corpus(&id).is_some() {
            return Err(err(
                format!("duplicate corpus id `{id}`"),
                raw.id.span(),
                "already declared above",
            ));
        }
        let (paths, matcher, names) = globs(raw, err)?;
        let sha256 = raw
            .sha256
            .as_ref()
            .map(|s| {
                hash(s, err).map(|value| Declared {
                    value,
                    span: span_of(s.span()),
                })
            })
            .transpose()?;
        let mut pii_types = Vec::new();
        for name in &raw.pii_types {
            let Some(kind) = PiiType::parse(name.get_ref().trim()) else {
                let known: Vec<&str> = PiiType::ALL.iter().map(|t| t.as_str()).collect();
                return Err(err(
                    format!("unknown PII type `{}`", name.get_ref()),
                    name.span(),
                    "not a PII type",
                )
                .help(format!("PII types: {}", known.join(", "))));
            };
            if !pii_types.contains(&kind) {
                pii_types.push(kind);
            }
        }
        pii_types.sort();
        let legal_basis = match &raw.legal_basis {
            None => None,
            Some(b) => Some(LegalBasis::parse(b.get_ref().trim()).ok_or_else(|| {
                let known: Vec<&str> = LegalBasis::ALL.iter().map(|b| b.as_str()).collect();
                err(
                    format!("unknown legal basis `{}`", b.get_ref()),
                    b.span(),
                    "not a GDPR Art. 6(1) basis",
                )
                .help(format!("legal bases: {}", known.join(", ")))
            })?),
        };
        let retention_until = raw
            .retention_until
            .as_ref()
            .map(|v| date(v, "retention_until", err))
            .transpose()?;
        let repo_path =
            |s: &Spanned<String>, key: &str| -> Result<Declared<String>, Box<ConfigError>> {
                let value = crate::inventory::normalize(s.get_ref().trim())
                    .filter(|p| p != ".")
                    .ok_or_else(|| {
                        err(
                            format!("`{key}` must be a path inside the repository"),
                            s.span(),
                            "not a repository-relative path",
                        )
                    })?;
                Ok(Declared {
                    value,
                    span: span_of(s.span()),
                })
            };
        manifest.corpora.push(CorpusDecl {
            id,
            span: span_of(raw.id.span()),
            paths,
            matcher,
            names,
            sha256,
            derived_from: raw
                .derived_from
                .iter()
                .map(|d| Declared {
                    value: d.get_ref().trim().to_owned(),
                    span: span_of(d.span()),
                })
                .collect(),
            contains_pii: raw.contains_pii.as_ref().map(|b| *b.get_ref()),
            pii_types,
            legal_basis,
            original_purpose: raw
                .original_purpose
                .as_ref()
                .map(|p| p.get_ref().trim().to_owned())
                .filter(|p| !p.is_empty()),
            retention_until,
            erasure_procedure: raw
                .erasure_procedure
                .as_ref()
                .map(|p| repo_path(p, "erasure_procedure"))
                .transpose()?,
            erasure_log: raw
                .erasure_log
                .as_ref()
                .map(|p| repo_path(p, "erasure_log"))
                .transpose()?,
        });
    }
    for raw in models {
        let id = non_empty_id(&raw.id, "model", err)?;
        if manifest.model(&id).is_some() {
            return Err(err(
                format!("duplicate model id `{id}`"),
                raw.id.span(),
                "already declared above",
            ));
        }
        let path = match &raw.path {
            None => None,
            Some(p) => Some(
                crate::inventory::normalize(p.get_ref().trim()).ok_or_else(|| {
                    err(
                        "a model's `path` must be inside the repository".to_owned(),
                        p.span(),
                        "not a repository-relative path",
                    )
                })?,
            ),
        };
        let trained_at = raw
            .trained_at
            .as_ref()
            .map(|v| date(v, "trained_at", err))
            .transpose()?;
        let mut trained_on = Vec::new();
        for entry in &raw.trained_on {
            let inner = entry.get_ref();
            trained_on.push(TrainedOn {
                corpus: inner.corpus.get_ref().trim().to_owned(),
                sha256: inner.sha256.as_ref().map(|s| hash(s, err)).transpose()?,
                span: span_of(inner.corpus.span()),
            });
        }
        let erasure_strategy = match &raw.erasure_strategy {
            None => None,
            Some(s) => {
                let value = s.get_ref().trim();
                let valid = matches!(value, "retrain-on-next-release" | "output-filter" | "none")
                    || value
                        .strip_prefix("unlearning:")
                        .is_some_and(|m| !m.trim().is_empty());
                if !valid {
                    return Err(err(
                        format!("unknown erasure strategy `{value}`"),
                        s.span(),
                        "not an erasure strategy",
                    )
                    .help(
                        "use \"retrain-on-next-release\", \"output-filter\", \"unlearning:<method>\" or \"none\"",
                    ));
                }
                Some(value.to_owned())
            }
        };
        manifest.models.push(ModelDecl {
            id,
            span: span_of(raw.id.span()),
            path,
            base_model: raw.base_model.as_ref().map(|b| Declared {
                value: b.get_ref().trim().to_owned(),
                span: span_of(b.span()),
            }),
            published_name: raw
                .published_name
                .as_ref()
                .map(|n| n.get_ref().trim().to_owned()),
            trained_at,
            trained_on,
            erasure_strategy,
        });
    }
    Ok(manifest)
}

fn non_empty_id(
    id: &Spanned<String>,
    table: &str,
    err: ErrFn<'_>,
) -> Result<String, Box<ConfigError>> {
    let value = id.get_ref().trim();
    if value.is_empty() {
        return Err(err(
            format!("a [[{table}]] needs a non-empty `id`"),
            id.span(),
            "empty id",
        ));
    }
    Ok(value.to_owned())
}

/// `path` as globs, matched against repository-relative paths. A path without glob characters
/// is a file or a directory (then everything beneath it).
fn globs(
    raw: &RawCorpus,
    err: ErrFn<'_>,
) -> Result<(Vec<String>, globset::GlobSet, globset::GlobSet), Box<ConfigError>> {
    let mut written = Vec::new();
    if let Some(path) = &raw.path {
        let bad = || {
            err(
                "a corpus `path` must be a glob or a list of globs".to_owned(),
                path.span(),
                "expected a string or a list of strings",
            )
        };
        match path.get_ref() {
            toml::Value::String(s) => written.push(s.clone()),
            toml::Value::Array(items) => {
                for item in items {
                    written.push(item.as_str().ok_or_else(bad)?.to_owned());
                }
            }
            _ => return Err(bad()),
        }
    }
    let mut builder = GlobSetBuilder::new();
    let mut names = GlobSetBuilder::new();
    let mut paths = Vec::new();
    for pattern in written {
        let trimmed = pattern
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_owned();
        let span = raw.path.as_ref().map_or(0..0, Spanned::span);
        if trimmed.is_empty() || trimmed.starts_with('/') || trimmed.split('/').any(|p| p == "..") {
            return Err(err(
                format!("corpus path `{pattern}` must be inside the repository"),
                span,
                "not a repository-relative glob",
            ));
        }
        let is_glob = trimmed.contains(['*', '?', '[', '{']);
        let variants = if is_glob {
            vec![trimmed.clone()]
        } else {
            vec![trimmed.clone(), format!("{trimmed}/**")]
        };
        for (i, variant) in variants.into_iter().enumerate() {
            let glob = GlobBuilder::new(&variant)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    err(
                        format!("invalid corpus path glob: {}", e.kind()),
                        span.clone(),
                        "this glob",
                    )
                })?;
            if i == 0 {
                names.add(glob.clone());
            }
            builder.add(glob);
        }
        paths.push(trimmed);
    }
    let set = builder
        .build()
        .map_err(|e| err(format!("invalid corpus path globs: {e}"), 0..0, ""))?;
    let names = names
        .build()
        .map_err(|e| err(format!("invalid corpus path globs: {e}"), 0..0, ""))?;
    Ok((paths, set, names))
}

fn hash(s: &Spanned<String>, err: ErrFn<'_>) -> Result<String, Box<ConfigError>> {
    let value = s.get_ref().trim();
    let value = value
        .strip_prefix("sha256:")
        .unwrap_or(value)
        .to_ascii_lowercase();
    if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err(
            "a sha256 must be 64 hexadecimal digits".to_owned(),
            s.span(),
            "not a SHA-256",
        ));
    }
    Ok(value)
}

/// A TOML date, a date-time (its day is kept) or a `YYYY-MM-DD` string.
fn date(value: &Spanned<toml::Value>, key: &str, err: ErrFn<'_>) -> Result<Date, Box<ConfigError>> {
    let parsed = match value.get_ref() {
        toml::Value::String(s) => Date::parse(s.get(..10).unwrap_or(s)),
        toml::Value::Datetime(d) => d.date.and_then(|d| Date::parse(&d.to_string())),
        _ => None,
    };
    parsed.ok_or_else(|| {
        err(
            format!("`{key}` must be a date"),
            value.span(),
            "expected YYYY-MM-DD",
        )
        .help(format!("write `{key} = 2026-09-30`"))
    })
}

#[cfg(test)]
mod tests {
    use crate::policy::load_str;

    const GOOD: &str = r#"
[privacy]
hmac_key_env = "ACME_KEY"

[[corpus]]
id = "support-chats"
path = ["data/support/*.jsonl", "data/extra"]
sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
derived_from = ["raw-tickets"]
contains_pii = true
pii_types = ["email", "phone"]
legal_basis = "legitimate_interest"
original_purpose = "customer support"
retention_until = 2026-09-30
erasure_procedure = "docs/privacy/erasure.md"
erasure_log = "privacy/erasure-log.jsonl"

[[model]]
id = "support-lora"
path = "models/support-lora/"
base_model = "acme/base-1b"
trained_at = 2025-01-15T10:00:00Z
trained_on = [{ corpus = "support-chats", sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }]
erasure_strategy = "unlearning:gradient-ascent"
"#;

    #[test]
    fn a_full_manifest_validates() {
        let policy = load_str(GOOD, "aibom.toml", None).unwrap();
        let m = &policy.privacy;
        assert_eq!(m.key_env, "ACME_KEY");
        let c = &m.corpora[0];
        assert!(c.covers("data/support/a.jsonl"));
        assert!(!c.covers("data/support/sub/a.jsonl"));
        assert!(c.covers("data/extra/deep/b.csv"));
        assert!(m.declared_data_kind("data/support/a.jsonl").is_some());
        assert!(m.declared_data_kind("data/extra/photo.png").is_none());
        assert_eq!(c.pii_types.len(), 2);
        assert_eq!(
            c.retention_until.map(|d| d.to_string()).as_deref(),
            Some("2026-09-30")
        );
        assert_eq!(c.span.line, 6);
        let model = &m.models[0];
        assert_eq!(model.path.as_deref(), Some("models/support-lora"));
        assert_eq!(
            model.trained_at.map(|d| d.to_string()).as_deref(),
            Some("2025-01-15")
        );
        assert_eq!(model.trained_on[0].corpus, "support-chats");
        assert!(policy.not_evaluated.is_empty());
    }

    #[test]
    fn errors_point_at_the_key() {
        let cases = [
            (
                "[[corpus]]\nid = \"a\"\nlegal_basis = \"because\"\n",
                (3, 15),
                "legal basis",
            ),
            (
                "[[corpus]]\nid = \"a\"\npii_types = [\"email\", \"shoe_size\"]\n",
                (3, 23),
                "PII type",
            ),
            (
                "[[corpus]]\nid = \"a\"\nretention_until = \"soon\"\n",
                (3, 19),
                "date",
            ),
            (
                "[[corpus]]\nid = \"a\"\ncontains_pii = \"yes\"\n",
                (3, 16),
                "invalid",
            ),
            (
                "[[corpus]]\nid = \"a\"\nretention = 2026-01-01\n",
                (3, 1),
                "unknown field",
            ),
            (
                "[[model]]\nid = \"m\"\nerasure_strategy = \"hope\"\n",
                (3, 20),
                "erasure strategy",
            ),
            (
                "[[model]]\nid = \"m\"\ntrained_on = [{ corpus = \"a\", version = 3 }]\n",
                (3, 1),
                "unknown field",
            ),
            (
                "[[corpus]]\nid = \"a\"\n[[corpus]]\nid = \"a\"\n",
                (4, 6),
                "duplicate",
            ),
            (
                "[[corpus]]\nid = \"a\"\nsha256 = \"abc\"\n",
                (3, 10),
                "sha256",
            ),
            (
                "[privacy]\nhmac_key_env = \"not valid\"\n",
                (2, 16),
                "environment variable",
            ),
            (
                "[[corpus]]\nid = \"a\"\nerasure_log = \"../outside.jsonl\"\n",
                (3, 15),
                "inside the repository",
            ),
        ];
        for (text, at, word) in cases {
            let e = load_str(text, "aibom.toml", None).unwrap_err();
            assert!(e.message.contains(word), "{text}: {}", e.message);
            let (line, column) = e.line_column().unwrap();
            assert_eq!(line, at.0, "{text}: {}", e.message);
            if at.1 > 1 {
                assert_eq!(column, at.1, "{text}: {}", e.message);
            }
        }
    }

    #[test]
    fn init_skeletons_validate() {
        let text = "[[corpus]]\nid = \"support-chats\"\npath = \"data/support-chats\"\n# contains_pii = TODO\n\n[[model]]\nid = \"support-lora\"\npath = \"models/support-lora\"\n";
        let policy = load_str(text, "aibom.toml", None).unwrap();
        assert!(policy.privacy.corpora[0].covers("data/support-chats/train.jsonl"));
        assert_eq!(policy.privacy.key_env, "AIBOM_ERASURE_KEY");
    }
}
