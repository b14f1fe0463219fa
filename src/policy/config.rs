//! `aibom.toml`: raw deserialisation with spans, then validation into a `Policy`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use super::{FailOn, PRESETS, Policy};
use crate::finding::Severity;
use crate::rules::registry::RULES;

/// The file as written. Unknown keys are errors, so a typo never silently disables a check.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub preset: Option<Spanned<String>>,
    pub fail_on: Option<Spanned<String>>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<String>>,
    pub scan: Option<RawScan>,
    #[serde(default)]
    pub exception: Vec<RawException>,
    // Tables of features that later versions evaluate. They are accepted (so one config serves
    // every version in a team) and reported as not evaluated.
    pub project: Option<super::usage::RawProject>,
    #[serde(default)]
    pub corpus: Vec<super::privacy::RawCorpus>,
    #[serde(default)]
    pub model: Vec<super::privacy::RawModel>,
    pub privacy: Option<super::privacy::RawPrivacy>,
    #[serde(default)]
    pub tool: Vec<super::tools::RawToolEntry>,
    pub licenses: Option<super::usage::RawLicenses>,
    /// The licence database `[licenses]` ids are checked against (`--license-db` layered over
    /// the built-in one); `None` = the built-in database.
    #[serde(skip)]
    pub license_db: Option<crate::license::LicenseDb>,
    pub prompts: Option<super::prompts::RawPrompts>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScan {
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

/// One `[[exception]]` as written; validated by `validate_exception`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawException {
    pub rule: Spanned<String>,
    pub path: Option<Spanned<String>>,
    pub component: Option<Spanned<String>>,
    pub reason: Option<Spanned<String>>,
    pub expires: Option<Spanned<toml::Value>>,
}

/// A configuration error, pointing at the offending TOML.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(aibom::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl ConfigError {
    fn new(
        name: &str,
        text: &str,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
        label: &str,
    ) -> Self {
        ConfigError {
            message: message.into(),
            src: NamedSource::new(name, text.to_owned()),
            span: span.map(|r| SourceSpan::new(r.start.into(), r.end.saturating_sub(r.start))),
            label: label.to_owned(),
            help: None,
        }
    }

    pub(super) fn help(mut self: Box<Self>, help: impl Into<String>) -> Box<Self> {
        self.help = Some(help.into());
        self
    }

    /// The error as a terminal may show it: control characters from the config text (in the
    /// message, the label, the help and the quoted lines) shown as visible escapes.
    pub fn visible(self) -> Self {
        use crate::report::visible;
        let (text, offsets) = visible::lines_with_offsets(self.src.inner());
        let span = self.span.map(|s| {
            let start = offsets.map(s.offset());
            SourceSpan::new(start.into(), offsets.map(s.offset() + s.len()) - start)
        });
        ConfigError {
            message: visible::lines(&self.message).into_owned(),
            src: NamedSource::new(visible::line(self.src.name()), text.into_owned()),
            span,
            label: visible::line(&self.label).into_owned(),
            help: self.help.as_deref().map(|h| visible::lines(h).into_owned()),
        }
    }

    /// 1-based line and column of the error, for messages and tests.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let offset = self.span?.offset();
        let text = self.src.inner();
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }
}

fn read_config(path: &Path) -> Result<String, Box<ConfigError>> {
    std::fs::read_to_string(path).map_err(|e| {
        let name = path.display().to_string();
        let message = format!("cannot read config {name}: {e}");
        Box::new(ConfigError::new(&name, "", message, None, ""))
    })
}

/// Load and validate a config file.
pub fn load(path: &Path) -> Result<Policy, Box<ConfigError>> {
    let text = read_config(path)?;
    load_str(&text, &path.display().to_string(), Some(path.to_owned()))
}

/// Load and validate a config file whose `[licenses]` ids are checked against `db` (the
/// built-in database with `--license-db` layered over it).
pub fn load_with_license_db(
    path: &Path,
    db: crate::license::LicenseDb,
) -> Result<Policy, Box<ConfigError>> {
    load_text_with_license_db(read_config(path)?, path, db)
}

/// `load_with_license_db` for config text read elsewhere (the staged `aibom.toml` of `--staged`);
/// `path` names it in diagnostics.
pub fn load_text_with_license_db(
    text: String,
    path: &Path,
    db: crate::license::LicenseDb,
) -> Result<Policy, Box<ConfigError>> {
    let name = path.display().to_string();
    let mut raw: RawConfig = toml::from_str(&text).map_err(|e| {
        let message = e.message().trim().to_owned();
        Box::new(ConfigError::new(
            &name,
            &text,
            format!("invalid config: {message}"),
            e.span(),
            "here",
        ))
    })?;
    raw.license_db = Some(db);
    validate(raw, Some(path.to_owned()), &text).map_err(|mut e| {
        e.src = NamedSource::new(&name, text.clone());
        e
    })
}

/// Parse and validate config text; `name` is used in diagnostics.
pub fn load_str(
    text: &str,
    name: &str,
    source: Option<PathBuf>,
) -> Result<Policy, Box<ConfigError>> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        Box::new(ConfigError::new(
            name,
            text,
            format!("invalid config: {message}"),
            e.span(),
            "here",
        ))
    })?;
    validate(raw, source, text).map_err(|mut e| {
        e.src = NamedSource::new(name, text.to_owned());
        e
    })
}

/// Validate raw config into a policy. `text` is the config source, for error snippets.
pub fn validate(
    mut raw: RawConfig,
    source: Option<PathBuf>,
    text: &str,
) -> Result<Policy, Box<ConfigError>> {
    let name = source
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "aibom.toml".to_owned());
    let err = |message: String, span: std::ops::Range<usize>, label: &str| {
        Box::new(ConfigError::new(&name, text, message, Some(span), label))
    };

    let mut severities: BTreeMap<&'static str, Option<Severity>> = RULES
        .iter()
        .map(|r| (r.meta().code, Some(r.meta().default_severity)))
        .collect();

    let preset = match &raw.preset {
        Some(p) => {
            let name = p.get_ref().as_str();
            let Some((_, preset_text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
                return Err(
                    err(format!("unknown preset `{name}`"), p.span(), "not a preset")
                        .help(format!("presets: {}", known.join(", "))),
                );
            };
            apply_preset(name, preset_text, &mut severities);
            name.to_owned()
        }
        None => "default".to_owned(),
    };

    for (code, level) in &raw.rules {
        let Some(rule) = crate::rules::find(code.get_ref()) else {
            return Err(err(
                format!("unknown rule `{}`", code.get_ref()),
                code.span(),
                "no rule has this code",
            )
            .help("`aibom rules` lists every rule"));
        };
        let value = match level.get_ref().as_str() {
            "off" => None,
            other => match Severity::parse(other) {
                Some(s) => Some(s),
                None => {
                    return Err(err(
                        format!("invalid severity `{other}` for {}", rule.meta().code),
                        level.span(),
                        "expected a severity",
                    )
                    .help("use \"error\", \"warning\", \"note\" or \"off\""));
                }
            },
        };
        severities.insert(rule.meta().code, value);
    }

    let fail_on = match &raw.fail_on {
        Some(f) => Some(FailOn::parse(f.get_ref()).ok_or_else(|| {
            err(
                format!("invalid fail_on `{}`", f.get_ref()),
                f.span(),
                "expected error, warning, note or never",
            )
        })?),
        None => None,
    };

    let mut builder = GlobSetBuilder::new();
    let mut exclude_patterns = Vec::new();
    for pattern in raw.scan.iter().flat_map(|s| s.exclude.iter()) {
        let glob = Glob::new(pattern.get_ref()).map_err(|e| {
            err(
                format!("invalid exclude glob: {}", e.kind()),
                pattern.span(),
                "this glob",
            )
        })?;
        builder.add(glob);
        exclude_patterns.push(pattern.get_ref().clone());
    }
    let exclude = builder
        .build()
        .map_err(|e| err(format!("invalid exclude globs: {e}"), 0..0, ""))?;

    let not_evaluated = Vec::new();

    let exceptions = raw
        .exception
        .iter()
        .map(|e| super::exceptions::validate(e, text, &err))
        .collect::<Result<Vec<_>, _>>()?;

    let prompts = super::prompts::PromptPaths::validate(raw.prompts.as_ref())
        .map_err(|(message, span, label)| err(message, span, label))?;

    let license_db = match raw.license_db.take() {
        Some(db) => db,
        None => crate::license::LicenseDb::embedded().unwrap_or_default(),
    };
    let tools =
        super::tools::validate(std::mem::take(&mut raw.tool), source.as_deref(), text, &err)?;
    let project = super::usage::validate_project(raw.project.take(), &err)?;
    let config_file = source.as_deref().and_then(|p| p.file_name()).map_or_else(
        || "aibom.toml".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let privacy = super::privacy::validate(
        raw.privacy.as_ref(),
        &raw.corpus,
        &raw.model,
        &config_file,
        text,
        &err,
    )?;
    let licenses = super::usage::validate_licenses(raw.licenses.take(), &license_db, &err)?;

    Ok(Policy {
        privacy,
        tools,
        project,
        licenses,
        prompts,
        exceptions,
        severities,
        preset,
        fail_on,
        exclude,
        exclude_patterns,
        source,
        not_evaluated,
    })
}

/// Presets are embedded and tested; a malformed preset is a bug caught by the tests.
fn apply_preset(name: &str, text: &str, severities: &mut BTreeMap<&'static str, Option<Severity>>) {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Preset {
        #[allow(dead_code)]
        description: String,
        #[serde(default)]
        rules: BTreeMap<String, String>,
    }
    let Ok(preset) = toml::from_str::<Preset>(text) else {
        debug_assert!(false, "preset {name} does not parse");
        return;
    };
    for (code, level) in preset.rules {
        if let Some(rule) = crate::rules::find(&code) {
            severities.insert(rule.meta().code, Severity::parse(&level));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_sorted_and_name_real_rules() {
        let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for (name, text) in PRESETS {
            let value: toml::Table =
                toml::from_str(text).unwrap_or_else(|e| panic!("preset {name}: {e}"));
            assert!(
                value.get("description").is_some_and(|d| d.is_str()),
                "preset {name} needs a description"
            );
            for (code, level) in value
                .get("rules")
                .and_then(|r| r.as_table())
                .into_iter()
                .flatten()
            {
                assert!(
                    crate::rules::find(code).is_some(),
                    "preset {name} names unknown rule {code}"
                );
                let level = level.as_str().unwrap_or_default();
                assert!(
                    level == "off" || Severity::parse(level).is_some(),
                    "preset {name}: bad level {level}"
                );
            }
        }
    }

    #[test]
    fn overrides_apply_over_presets() {
        let policy = load_str(
            "preset = \"strict\"\n[rules]\nMOD002 = \"note\"\nBOM002 = \"off\"\n",
            "t.toml",
            None,
        )
        .unwrap();
        assert_eq!(policy.severity("MOD002"), Some(Severity::Note));
        assert_eq!(policy.severity("BOM002"), None);
        assert_eq!(policy.severity("MOD004"), Some(Severity::Error));
        assert_eq!(policy.severity("MOD001"), Some(Severity::Error));
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let e = load_str("[rules]\nMOD001 = \"fatal\"\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((2, 10)));
        let e = load_str("[rules]\nNOPE01 = \"error\"\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((2, 1)));
        assert!(e.message.contains("unknown rule"));
        let e = load_str("preset = \"strict\"\nfial_on = \"x\"\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column().map(|(l, _)| l), Some(2));
        let e = load_str("[rules\n", "t.toml", None).unwrap_err();
        assert!(e.line_column().is_some());
    }

    #[test]
    fn future_tables_are_accepted_and_reported() {
        let policy = load_str(
            "[project]\ncommercial = true\n[[tool]]\nid = \"mcp:x\"\n",
            "t.toml",
            None,
        )
        .unwrap();
        assert!(!policy.not_evaluated.contains(&"tool".to_owned()));
        assert_eq!(policy.tools.len(), 1);
        assert!(!policy.not_evaluated.contains(&"project".to_owned()));
        assert_eq!(policy.project.and_then(|p| p.commercial), Some(true));
    }
}
