//! BOM003: a shard index that lists missing shards, or shards the index does not list.

use std::collections::BTreeSet;

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};
use crate::inventory::parent;

pub struct ShardIndexMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "BOM003",
    name: "shard-index-mismatch",
    family: Family::Bom,
    default_severity: Severity::Error,
    summary: "A shard index lists shards that are missing, or shards exist that it does not list.",
    security: false,
    doc: RuleDoc {
        what: "Compares every `*.safetensors.index.json` / `pytorch_model.bin.index.json` with the files next \
               to it: each shard its `weight_map` names must exist (as weights or as an LFS pointer), and every \
               file in the directory that looks like a shard of the same set (`*-0000N-of-0000M.<ext>`) must be \
               named by the index. When every shard's header was read, the index `total_size` must equal the \
               tensor bytes the shards describe.",
        why: "A model with a missing shard does not load; a model with an unlisted extra shard is not the model \
              the index describes — it may be a leftover of another version, or a file slipped in. Either way \
              the BOM would hash and ship something other than what was reviewed.",
        example: "The index names `model-00001-of-00003.safetensors` to `model-00003-of-00003.safetensors` but \
                  only two exist:\n\n```\nerror[BOM003]: model.safetensors.index.json lists \
                  model-00003-of-00003.safetensors, which does not exist\n```",
        fix: "Fetch the missing shard (`git lfs pull`, or re-download the model) or remove the stray file; \
              regenerate the index if the model was re-sharded.",
    },
};

impl Rule for ShardIndexMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        for index_file in &inv.files {
            let Ok(Artifact::ShardIndex(index)) = &index_file.artifact else {
                continue;
            };
            let dir = parent(&index_file.path);
            let component = inv.files_in_dir(dir).find_map(|f| f.component.clone());
            let prefixed = |name: &str| {
                if dir == "." {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                }
            };
            let listed: BTreeSet<&str> = index.shards.iter().map(String::as_str).collect();
            let mut described_bytes = Some(0u64);
            for shard in &listed {
                match inv.file(&prefixed(shard)) {
                    None => out.push(
                        Finding::new(
                            &META,
                            component.as_deref(),
                            format!("missing:{shard}"),
                            format!("{} lists {shard}, which does not exist", index_file.path),
                        )
                        .at(&index_file.path, None)
                        .with_help("fetch the missing shard, or regenerate the index"),
                    ),
                    Some(f) => {
                        described_bytes = match (&f.artifact, described_bytes) {
                            (Ok(Artifact::Safetensors(h)), Some(total)) => {
                                total.checked_add(h.data_len)
                            }
                            _ => None,
                        }
                    }
                }
            }
            let extensions: BTreeSet<&str> = listed
                .iter()
                .filter_map(|s| s.rsplit_once('.').map(|(_, e)| e))
                .collect();
            for f in inv.files_in_dir(dir) {
                let name = f.path.rsplit('/').next().unwrap_or(&f.path);
                let same_set = name.contains("-of-")
                    && extensions.iter().any(|e| name.ends_with(&format!(".{e}")));
                if same_set && !listed.contains(name) && f.path != index_file.path {
                    out.push(
                        Finding::new(
                            &META,
                            component.as_deref(),
                            format!("extra:{name}"),
                            format!("{} is a shard the index {} does not list", f.path, index_file.path),
                        )
                        .at(&index_file.path, None)
                        .with_help("remove the stray shard, or regenerate the index if the model was re-sharded"),
                    );
                }
            }
            if let (Some(total), Some(described)) = (index.total_size, described_bytes)
                && !listed.is_empty()
                && total != described
            {
                out.push(
                    Finding::new(
                        &META,
                        component.as_deref(),
                        "total_size",
                        format!("{} declares total_size {total} but its shards describe {described} bytes of tensors", index_file.path),
                    )
                    .at(&index_file.path, None)
                    .with_help(
                        "fetch the shards the index was written for, or regenerate the index from \
                         the shards present",
                    ),
                );
            }
        }
    }
}
