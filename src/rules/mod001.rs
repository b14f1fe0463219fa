//! MOD001: a pickle imports a dangerous global.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::pickle::GlobalSafety;
use crate::finding::{Finding, Severity};

pub struct DangerousPickleGlobal;

pub static META: RuleMeta = RuleMeta {
    code: "MOD001",
    name: "dangerous-pickle-global",
    family: Family::Mod,
    default_severity: Severity::Error,
    summary: "A pickle imports a global that can run code (os.system, builtins.exec, subprocess …).",
    security: true,
    doc: RuleDoc {
        what: "Walks every pickle stream statically — plain pickles, PyTorch zip checkpoints (`*/data.pkl`), \
               legacy multi-stream torch files, joblib files, NumPy object arrays in `.npy`/`.npz` — and reports \
               each imported global on the deny list: `os`/`posix`/`nt`, `subprocess`, `builtins.exec`/`eval`/\
               `getattr`/`__import__`, `runpy`, `socket`, `shutil`, `pty`, `webbrowser`, `functools.partial`, \
               `operator.attrgetter` and others. Imports are found through `GLOBAL`, `INST`, `STACK_GLOBAL` \
               (with its module and name resolved through the memo) and the copyreg extension registry; an \
               import whose name cannot be resolved statically is treated as dangerous. A pickle that joblib \
               compressed (zlib, gzip, bz2, xz, lzma, LZ4) is decompressed as a stream, within a size and \
               ratio budget, and walked the same way. In a joblib file, the data joblib writes raw inside the \
               stream after each NumPy array's wrapper is skipped by the array's dtype and shape, and an \
               object array's data, a nested pickle, is walked too; data whose size cannot be worked out (a \
               structured dtype) stops the walk, which BOM001 reports. Plain `pickle.load` skips no array data: \
               it reads those bytes as opcodes, so they are also walked as the opcodes it would run there (on \
               into the stream, until what `pickle.load` would fail on), and an import found there is reported \
               as sitting in array data. A pickle whose walk stops at a resource limit before its \
               end (a stream over the size limit, a decompression bomb, too many streams, a stack or memo \
               beyond its limit, array data that reads as opcodes beyond its budget) cannot be checked for code execution and is reported as such: the finding \
               names the limit and the byte the walk reached, and the imports found before it are reported \
               too. Nothing is unpickled.",
        why: "Loading a pickle executes the callables it imports: `torch.load(weights_only=False)`, \
              `pickle.load`, `joblib.load` and `numpy.load(allow_pickle=True)` on such a file run the attacker's \
              command with the loader's privileges. Malicious checkpoints on public hubs use exactly these \
              imports.",
        example: "`models/legacy/classifier.pt` (a torch zip) whose `archive/data.pkl` calls `posix.system`:\n\n\
                  ```\nerror[MOD001]: models/legacy/classifier.pt imports posix.system (runs shell commands) \
                  in archive/data.pkl\n```",
        fix: "Do not load the file. Obtain the weights in safetensors (or GGUF/ONNX) from a trusted source, or \
              convert a trusted checkpoint in an isolated environment. If the import is a false positive for \
              your own code, re-save the model without it; suppress only with an `[[exception]]` naming the \
              file and a reason.",
    },
};

impl Rule for DangerousPickleGlobal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let stream = super::mod002::decompressed_from(file);
            for (entry, scan) in super::mod002::pickle_scans(file) {
                let Some(stop) = &scan.stopped_at_limit else {
                    continue;
                };
                let place = entry.map(|e| format!(" in {e}")).unwrap_or_default();
                let subject = format!("limit:{}", stop.limit);
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        entry.map_or_else(|| subject.clone(), |e| format!("{e}:{subject}")),
                        format!(
                            "{} is a pickle that cannot be checked: the walk stopped at the {} limit at byte {}{stream}{place} ({}); \
                             what follows was not checked for imports, and a loader runs it",
                            file.path, stop.limit, stop.offset, stop.message
                        ),
                    )
                    .at(&file.path, None)
                    .with_help(
                        "do not load this file unless you trust its source; a real model this large is best \
                         re-saved as safetensors (or checked in isolation)",
                    ),
                );
            }
            for (entry, global) in super::mod002::pickle_globals(file) {
                let GlobalSafety::Dangerous { reason } = &global.safety else {
                    continue;
                };
                let qualified = format!("{}.{}", global.module, global.name);
                let place = match entry {
                    Some(entry) => format!(" in {entry}"),
                    None if global.stream > 0 => format!(" in pickle stream {}", global.stream + 1),
                    None => String::new(),
                };
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        entry.map_or_else(|| qualified.clone(), |e| format!("{e}:{qualified}")),
                        format!(
                            "{} imports {qualified} ({reason}){place}, via {} at byte {}{stream}{}",
                            file.path,
                            global.opcode,
                            global.offset,
                            super::mod002::in_array_data_note(global)
                        ),
                    )
                    .at(&file.path, None)
                    .with_help("do not load this file; obtain the weights as safetensors from a trusted source"),
                );
            }
        }
    }
}
