//! MOD002: a pickle imports a global on neither the allow list nor the deny list.

use std::collections::BTreeSet;

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::{Artifact, ParsedFile};
use crate::artifact::pickle::{GlobalSafety, ImportedGlobal, PickleScan};
use crate::finding::{Finding, Severity};

pub struct UnverifiedPickleGlobal;

pub static META: RuleMeta = RuleMeta {
    code: "MOD002",
    name: "unverified-pickle-global",
    family: Family::Mod,
    default_severity: Severity::Warning,
    summary: "A pickle imports a global that is on neither list, so the file cannot be verified as safe.",
    security: true,
    doc: RuleDoc {
        what: "Reports each global a pickle imports that is neither on the allow list (PyTorch rebuild \
               helpers and storages, `collections.OrderedDict`, NumPy array reconstruction, scikit-learn \
               estimators, transformers training arguments, plain builtins such as `set`) nor on the deny list \
               of MOD001.",
        why: "An unknown import is code the loader will import and may call. It is often harmless — a \
              project's own class pickled with the model — but aibom cannot tell, and neither can a reviewer \
              without reading that code. The file is not proven safe.",
        example: "`model.pkl` imports `acme_internal.loaders.load_weights` and calls it:\n\n```\n\
                  warning[MOD002]: model.pkl imports acme_internal.loaders.load_weights, which is on neither \
                  list and cannot be verified\n```",
        fix: "Prefer a format without code (safetensors). If the import is your own trusted code, record \
              that decision with an `[[exception]]` for this rule and file, with a reason.",
    },
};

/// Every pickle walk of a parsed file, with the zip or npz entry it came from.
pub fn pickle_scans(file: &ParsedFile) -> Vec<(Option<&str>, &PickleScan)> {
    match &file.artifact {
        Ok(Artifact::Pickle(scan)) => vec![(None, scan)],
        Ok(Artifact::TorchZip(zip)) => zip
            .pickles
            .iter()
            .map(|(entry, scan)| (Some(entry.as_str()), scan))
            .collect(),
        Ok(Artifact::Npy(npy)) => npy.pickle.iter().map(|s| (None, s)).collect(),
        Ok(Artifact::Npz(npz)) => npz
            .arrays
            .iter()
            .flat_map(|(entry, npy)| npy.pickle.iter().map(move |s| (Some(entry.as_str()), s)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every imported global of a parsed file, with the zip or npz entry it came from.
pub fn pickle_globals(file: &ParsedFile) -> Vec<(Option<&str>, &ImportedGlobal)> {
    pickle_scans(file)
        .into_iter()
        .flat_map(|(entry, scan)| scan.globals.iter().map(move |g| (entry, g)))
        .collect()
}

/// How a finding says where an offset is when the pickle was compressed: ` of the zlib stream`
/// (offsets then count decompressed bytes); empty otherwise.
pub fn decompressed_from(file: &ParsedFile) -> String {
    match &file.artifact {
        Ok(Artifact::Pickle(scan)) => scan
            .compression
            .map(|c| format!(" of the decompressed {} stream", c.name()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

impl Rule for UnverifiedPickleGlobal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let mut seen = BTreeSet::new();
            for (entry, global) in pickle_globals(file) {
                if global.safety != GlobalSafety::Unknown {
                    continue;
                }
                let qualified = format!("{}.{}", global.module, global.name);
                if !seen.insert((entry, qualified.clone())) {
                    continue;
                }
                let place = match entry {
                    Some(entry) => format!(" in {entry}"),
                    None => match &file.artifact {
                        Ok(Artifact::Pickle(scan)) => scan
                            .compression
                            .map(|c| format!(" in its {}-compressed stream", c.name()))
                            .unwrap_or_default(),
                        _ => String::new(),
                    },
                };
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        entry.map_or_else(|| qualified.clone(), |e| format!("{e}:{qualified}")),
                        format!(
                            "{} imports {qualified}{place}, which is on neither list and cannot be verified{}",
                            file.path,
                            in_array_data_note(global)
                        ),
                    )
                    .at(&file.path, None)
                    .with_help(format!(
                        "do not load this file until {qualified} is verified as trusted code; prefer \
                         the weights as safetensors, or record the decision with an [[exception]] \
                         for MOD002 and this file, with a reason"
                    )),
                );
            }
        }
    }
}

/// What a message adds about an import found in bytes joblib reads as NumPy array data.
pub(super) fn in_array_data_note(global: &crate::artifact::pickle::ImportedGlobal) -> &'static str {
    if global.in_array_data {
        "; it sits in bytes joblib.load reads as NumPy array data, which plain pickle.load runs as opcodes"
    } else {
        ""
    }
}
