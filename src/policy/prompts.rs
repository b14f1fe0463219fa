//! `[prompts]` in `aibom.toml`: prompt files the naming conventions do not find, and a
//! changelog shared by every prompt.
//!
//! ```toml
//! [prompts]
//! paths = ["agents/system.txt", "templates/**/*.md"]   # globs; a directory means all below it
//! changelog = "docs/prompt-changes.md"
//! ```

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::artifact::prompt::PromptFormat;
use crate::detect::ArtifactKind;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrompts {
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    pub changelog: Option<Spanned<String>>,
}

/// The validated `[prompts]` table.
#[derive(Debug, Clone)]
pub struct PromptPaths {
    paths: GlobSet,
    pub patterns: Vec<String>,
    /// Repository-relative path of a changelog that counts for every prompt it mentions.
    pub changelog: Option<String>,
}

impl Default for PromptPaths {
    fn default() -> Self {
        PromptPaths {
            paths: GlobSet::empty(),
            patterns: Vec::new(),
            changelog: None,
        }
    }
}

/// A validation error: message, the span of the offending value, and a label.
pub type Invalid = (String, std::ops::Range<usize>, &'static str);

impl PromptPaths {
    pub fn validate(raw: Option<&RawPrompts>) -> Result<PromptPaths, Invalid> {
        let Some(raw) = raw else {
            return Ok(PromptPaths::default());
        };
        let mut builder = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for path in &raw.paths {
            let pattern = path
                .get_ref()
                .trim_start_matches("./")
                .trim_end_matches('/');
            if pattern.is_empty()
                || pattern.starts_with('/')
                || pattern.split('/').any(|p| p == "..")
            {
                return Err((
                    format!(
                        "prompt path `{}` must be relative to the repository root",
                        path.get_ref()
                    ),
                    path.span(),
                    "not a repository-relative path",
                ));
            }
            for glob in [pattern.to_owned(), format!("{pattern}/**")] {
                let glob = Glob::new(&glob).map_err(|e| {
                    (
                        format!("invalid prompt path glob: {}", e.kind()),
                        path.span(),
                        "this glob",
                    )
                })?;
                builder.add(glob);
            }
            patterns.push(pattern.to_owned());
        }
        let paths = builder
            .build()
            .map_err(|e| (format!("invalid prompt path globs: {e}"), 0..0, ""))?;
        let changelog = match &raw.changelog {
            Some(c) => {
                let path = c.get_ref().trim_start_matches("./");
                if path.is_empty() || path.starts_with('/') || path.split('/').any(|p| p == "..") {
                    return Err((
                        format!(
                            "prompt changelog `{}` must be relative to the repository root",
                            c.get_ref()
                        ),
                        c.span(),
                        "not a repository-relative path",
                    ));
                }
                Some(path.to_owned())
            }
            None => None,
        };
        Ok(PromptPaths {
            paths,
            patterns,
            changelog,
        })
    }

    /// The kind `[prompts]` gives a repository-relative path, overriding name-based detection.
    pub fn kind_of(&self, rel_path: &str) -> Option<ArtifactKind> {
        if self.changelog.as_deref() == Some(rel_path) {
            Some(ArtifactKind::Changelog)
        } else if self.paths.is_match(rel_path) {
            Some(ArtifactKind::Prompt(PromptFormat::Plain))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::load_str;

    #[test]
    fn paths_and_changelog_are_validated() {
        let policy = load_str(
            "[prompts]\npaths = [\"agents/system.txt\", \"templates\"]\nchangelog = \"docs/prompts.md\"\n",
            "t.toml",
            None,
        )
        .unwrap();
        let prompt = Some(ArtifactKind::Prompt(PromptFormat::Plain));
        assert_eq!(policy.prompts.kind_of("agents/system.txt"), prompt);
        assert_eq!(policy.prompts.kind_of("templates/a/b.md"), prompt);
        assert_eq!(policy.prompts.kind_of("agents/other.txt"), None);
        assert_eq!(
            policy.prompts.kind_of("docs/prompts.md"),
            Some(ArtifactKind::Changelog)
        );
        assert!(policy.not_evaluated.is_empty());

        let e = load_str("[prompts]\npaths = [\"../outside\"]\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((2, 10)));
        let e = load_str("[prompts]\nchangelog = \"/etc/x\"\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column(), Some((2, 13)));
        let e = load_str("[prompts]\npath = []\n", "t.toml", None).unwrap_err();
        assert_eq!(e.line_column().map(|(l, _)| l), Some(2));
    }
}
