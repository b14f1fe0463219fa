//! BOM004: a Git LFS pointer whose size disagrees with the real content.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct LfsSizeMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "BOM004",
    name: "lfs-size-mismatch",
    family: Family::Bom,
    default_severity: Severity::Error,
    summary: "A Git LFS pointer's size disagrees with the real file it stands for.",
    security: false,
    doc: RuleDoc {
        what: "Compares the `size` of a Git LFS pointer with the real content it stands for, wherever both are \
               on the machine: a pointer in the working tree with its object in the local LFS store \
               (`.git/lfs/objects/…`), or real weights in the working tree whose staged version in the git index \
               is a pointer.",
        why: "The pointer is what the BOM hashes without reading the weights; if its size is wrong, the oid is \
              almost certainly wrong too, and the BOM describes a different file from the one that ships. It \
              happens when a file is replaced without `git add`, when a pointer is hand-edited, or when the LFS \
              store is corrupt.",
        example: "`models/base/model.safetensors` is a pointer with `size 5000`, but the object in \
                  `.git/lfs/objects` is 4096 bytes:\n\n```\nerror[BOM004]: models/base/model.safetensors: LFS \
                  pointer says 5000 bytes, the local LFS store holds 4096\n```",
        fix: "Re-add the file so git-lfs rewrites the pointer (`git add --renormalize path`), or re-fetch the \
              object (`git lfs fetch && git lfs checkout path`).",
    },
};

impl Rule for LfsSizeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for check in &cx.inventory.lfs_checks {
            if check.pointer_size == check.real_size {
                continue;
            }
            let component = cx
                .inventory
                .file(&check.path)
                .and_then(|f| f.component.clone());
            out.push(
                Finding::new(
                    &META,
                    component.as_deref(),
                    check.path.clone(),
                    format!(
                        "{}: LFS pointer says {} bytes, {} holds {}",
                        check.path, check.pointer_size, check.real_source, check.real_size
                    ),
                )
                .at(&check.path, None)
                .with_help("re-add the file (`git add --renormalize`) or re-fetch the LFS object"),
            );
        }
    }
}
