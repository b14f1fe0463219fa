//! Files that are prompts only because a promptfoo config says so (`file://templates/a.json`):
//! found after the first parse, from the configs' references, among the files no name rule
//! claimed.

use std::collections::BTreeSet;

use crate::artifact::parsed::{Artifact, ParsedFile};
use crate::artifact::prompt::PromptFormat;
use crate::detect::ArtifactKind;
use crate::inventory::{normalize, parent};
use crate::walk::FileEntry;

/// The undetected files that a parsed promptfoo config names as a prompt file.
pub fn referenced_prompts(
    files: &[ParsedFile],
    undetected: Vec<FileEntry>,
) -> Vec<(FileEntry, ArtifactKind)> {
    let referenced: BTreeSet<String> = files
        .iter()
        .filter_map(|f| match &f.artifact {
            Ok(Artifact::PromptfooConfig(cfg)) => Some((parent(&f.path), cfg)),
            _ => None,
        })
        .flat_map(|(dir, cfg)| {
            cfg.prompt_files.iter().filter_map(move |p| {
                let joined = if dir == "." {
                    p.value.clone()
                } else {
                    format!("{dir}/{}", p.value)
                };
                normalize(&joined)
            })
        })
        .collect();
    if referenced.is_empty() {
        return Vec::new();
    }
    undetected
        .into_iter()
        .filter(|f| referenced.contains(&f.rel_path))
        .map(|f| (f, ArtifactKind::Prompt(PromptFormat::Plain)))
        .collect()
}
