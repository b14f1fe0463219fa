//! "What is this file?" — and nothing else.
//!
//! A sorted table of file-name patterns, plus content sniffers for the cases a name cannot
//! decide (a zip-based torch checkpoint versus a raw pickle, a Git LFS pointer in place of
//! weights). Detection never parses beyond a few bytes and never decides anything about policy.

use crate::artifact::corpus::CorpusFormat;
use crate::artifact::prompt::PromptFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    AdapterConfig,
    Card,
    /// A changelog (`CHANGELOG.md`, `<name>.changelog.md`): read for prompt changelog entries.
    Changelog,
    ChatTemplate,
    ChatTemplateJson,
    Corpus(CorpusFormat),
    Croissant,
    DatasetInfo,
    Gguf,
    H5,
    Keras,
    LicenseFile,
    /// An MCP client config (`.mcp.json`, `mcp.json`, `claude_desktop_config.json`).
    McpConfig,
    ModelConfig,
    Npy,
    Npz,
    Onnx,
    Pickle,
    Prompt(PromptFormat),
    PromptfooConfig,
    Safetensors,
    ShardIndex,
    TokenizerConfig,
    /// Python, TypeScript or JavaScript source that may define agent tools; decided by content.
    ToolCode,
    /// A JSON file whose name mentions tools or functions; decided by its content.
    ToolJson,
    /// A YAML or JSON file that may be a training or merge config; decided by its content.
    TrainingCandidate,
}

impl ArtifactKind {
    /// Binary weight formats: hashed, and grouped into model components.
    pub fn is_weights(self) -> bool {
        matches!(
            self,
            ArtifactKind::Gguf
                | ArtifactKind::H5
                | ArtifactKind::Keras
                | ArtifactKind::Npy
                | ArtifactKind::Npz
                | ArtifactKind::Onnx
                | ArtifactKind::Pickle
                | ArtifactKind::Safetensors
        )
    }

    /// Files whose content hash belongs in the BOM.
    pub fn is_hashed(self) -> bool {
        self.is_weights() || matches!(self, ArtifactKind::Corpus(_))
    }

    pub fn name(self) -> &'static str {
        match self {
            ArtifactKind::AdapterConfig => "adapter-config",
            ArtifactKind::Card => "card",
            ArtifactKind::Changelog => "changelog",
            ArtifactKind::ChatTemplate => "chat-template",
            ArtifactKind::ChatTemplateJson => "chat-template-json",
            ArtifactKind::Corpus(_) => "corpus",
            ArtifactKind::Croissant => "croissant",
            ArtifactKind::DatasetInfo => "dataset-info",
            ArtifactKind::Gguf => "gguf",
            ArtifactKind::H5 => "keras-h5",
            ArtifactKind::Keras => "keras",
            ArtifactKind::LicenseFile => "license-file",
            ArtifactKind::McpConfig => "mcp-config",
            ArtifactKind::ModelConfig => "model-config",
            ArtifactKind::Npy => "npy",
            ArtifactKind::Npz => "npz",
            ArtifactKind::Onnx => "onnx",
            ArtifactKind::Pickle => "pickle",
            ArtifactKind::Prompt(_) => "prompt",
            ArtifactKind::PromptfooConfig => "promptfoo-config",
            ArtifactKind::Safetensors => "safetensors",
            ArtifactKind::ShardIndex => "shard-index",
            ArtifactKind::TokenizerConfig => "tokenizer-config",
            ArtifactKind::ToolCode => "tool-code",
            ArtifactKind::ToolJson => "tool-json",
            ArtifactKind::TrainingCandidate => "training-config",
        }
    }
}

/// How a table entry matches a file name (lower-cased).
#[derive(Debug, Clone, Copy)]
pub enum NamePattern {
    Exact(&'static str),
    Suffix(&'static str),
}

impl NamePattern {
    fn matches(self, name: &str) -> bool {
        match self {
            NamePattern::Exact(p) => name == p,
            NamePattern::Suffix(p) => name.ends_with(p),
        }
    }

    fn key(self) -> (u8, &'static str) {
        match self {
            NamePattern::Exact(p) => (0, p),
            NamePattern::Suffix(p) => (1, p),
        }
    }
}

use ArtifactKind as K;
use NamePattern::{Exact, Suffix};

/// Exact names first, then suffixes, each sorted; the first match wins, so a
/// longer suffix (`.safetensors.index.json`) is listed — and tested — before a shorter one
/// it ends with (`.json` is never in this table: plain JSON is decided by path below).
pub static NAME_TABLE: &[(NamePattern, ArtifactKind)] = &[
    (Exact(".mcp.json"), K::McpConfig),
    (Exact("adapter_config.json"), K::AdapterConfig),
    (Exact("changelog.md"), K::Changelog),
    (Exact("chat_template.jinja"), K::ChatTemplate),
    (Exact("chat_template.json"), K::ChatTemplateJson),
    (Exact("claude_desktop_config.json"), K::McpConfig),
    (Exact("config.json"), K::ModelConfig),
    (Exact("croissant.json"), K::Croissant),
    (Exact("dataset_info.json"), K::DatasetInfo),
    (Exact("mcp.json"), K::McpConfig),
    (Exact("promptfooconfig.yaml"), K::PromptfooConfig),
    (Exact("promptfooconfig.yml"), K::PromptfooConfig),
    (Exact("readme.md"), K::Card),
    (
        Exact("skprompt.txt"),
        K::Prompt(PromptFormat::SemanticKernel),
    ),
    (Exact("tokenizer_config.json"), K::TokenizerConfig),
    (Suffix(".bin"), K::Pickle),
    (Suffix(".bin.index.json"), K::ShardIndex),
    (Suffix(".changelog.md"), K::Changelog),
    (Suffix(".ckpt"), K::Pickle),
    (Suffix(".croissant.json"), K::Croissant),
    (Suffix(".cs"), K::ToolCode),
    (Suffix(".csv"), K::Corpus(CorpusFormat::Csv)),
    (Suffix(".dill"), K::Pickle),
    (Suffix(".gguf"), K::Gguf),
    (Suffix(".go"), K::ToolCode),
    (Suffix(".h5"), K::H5),
    (Suffix(".hdf5"), K::H5),
    (Suffix(".joblib"), K::Pickle),
    (Suffix(".js"), K::ToolCode),
    (Suffix(".jsonl"), K::Corpus(CorpusFormat::Jsonl)),
    (Suffix(".keras"), K::Keras),
    (Suffix(".mjs"), K::ToolCode),
    (Suffix(".mts"), K::ToolCode),
    (Suffix(".ndjson"), K::Corpus(CorpusFormat::Jsonl)),
    (Suffix(".npy"), K::Npy),
    (Suffix(".npz"), K::Npz),
    (Suffix(".onnx"), K::Onnx),
    (Suffix(".parquet"), K::Corpus(CorpusFormat::Parquet)),
    (Suffix(".pickle"), K::Pickle),
    (Suffix(".pkl"), K::Pickle),
    (Suffix(".prompt"), K::Prompt(PromptFormat::Dotprompt)),
    (
        Suffix(".prompt.md"),
        K::Prompt(PromptFormat::PromptMarkdown),
    ),
    (
        Suffix(".prompt.yaml"),
        K::Prompt(PromptFormat::GithubModels),
    ),
    (Suffix(".prompt.yml"), K::Prompt(PromptFormat::GithubModels)),
    (Suffix(".prompty"), K::Prompt(PromptFormat::Prompty)),
    (Suffix(".pt"), K::Pickle),
    (Suffix(".pth"), K::Pickle),
    (Suffix(".py"), K::ToolCode),
    (Suffix(".safetensors"), K::Safetensors),
    (Suffix(".safetensors.index.json"), K::ShardIndex),
    (Suffix(".ts"), K::ToolCode),
    (Suffix(".tsv"), K::Corpus(CorpusFormat::Tsv)),
    (Suffix(".yaml"), K::TrainingCandidate),
    (Suffix(".yml"), K::TrainingCandidate),
];

/// Directory names that make `.json` and `.txt` files corpora.
pub static DATA_DIRS: &[&str] = &[
    "corpora",
    "corpus",
    "data",
    "dataset",
    "datasets",
    "training-data",
    "training_data",
];

/// Whether a `corpus/` directory (lower-cased `dir`) below `above` is a test suite's or a
/// fuzzer's inputs (`tests/corpus/`, `fuzz/corpus/`): software testing's corpus, not training data.
fn is_test_input_corpus(dir: &str, above: &[&str]) -> bool {
    const TEST_DIRS: &[&str] = &["__tests__", "fuzz", "fuzzing", "test", "testdata", "tests"];
    matches!(dir, "corpus" | "corpora")
        && above
            .iter()
            .any(|d| TEST_DIRS.contains(&d.to_ascii_lowercase().as_str()))
}

/// Whether a `.json` or `.txt` file is one of a software project's own files (dependency lists,
/// package and tool configs), which a data directory holds beside its data too.
fn is_project_file(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "composer.json",
        "package-lock.json",
        "package.json",
        "tsconfig.json",
    ];
    // `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `constraints.txt`,
    // `pip-freeze.gpu.txt` …
    let dependency_list = name.strip_suffix(".txt").is_some_and(|stem| {
        stem.split(['-', '_', '.'])
            .any(|part| matches!(part, "requirements" | "constraints" | "freeze"))
    });
    // A JSON Schema describes records; it holds none: `record.schema.json`, `schema.json`,
    // `cases_v1_schema.json`, `cases-schema.json`.
    let schema = name
        .strip_suffix(".json")
        .is_some_and(|stem| stem.rsplit(['-', '_', '.']).next() == Some("schema"));
    NAMES.contains(&name) || dependency_list || schema
}

/// The directory whose text templates are prompts, and their extensions.
pub static PROMPT_DIR: &str = "prompts";
pub static PROMPT_EXTENSIONS: &[&str] = &["j2", "jinja", "md", "txt"];

/// Directories of installed dependencies, where source files are not scanned for tools.
pub static VENDORED_DIRS: &[&str] = &[
    ".tox",
    ".venv",
    "__pycache__",
    "node_modules",
    "site-packages",
    "vendor",
    "venv",
];

/// Build output directories of C# projects, where a `.cs` file is generated, not written.
pub static CSHARP_BUILD_DIRS: &[&str] = &["bin", "obj"];

/// Detect a file's kind from its repository-relative path (`/`-separated).
pub fn detect(rel_path: &str) -> Option<ArtifactKind> {
    let name = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .to_ascii_lowercase();
    // Licence documents by the licence engine's naming rule (`LICENSE-MIT`, `DATA_LICENSE`).
    if crate::license::is_licence_document(&name) {
        return Some(K::LicenseFile);
    }
    let in_chat_template_dir = rel_path.contains("additional_chat_templates/");
    if in_chat_template_dir && name.ends_with(".jinja") {
        return Some(K::ChatTemplate);
    }
    let mut best: Option<(usize, ArtifactKind)> = None;
    for (pattern, kind) in NAME_TABLE {
        if pattern.matches(&name) {
            let len = pattern.key().1.len();
            let exact = matches!(pattern, Exact(_));
            if exact {
                return Some(*kind);
            }
            if best.is_none_or(|(l, _)| len > l) {
                best = Some((len, *kind));
            }
        }
    }
    if let Some((_, kind)) = best {
        // Installed dependencies and build output are not the repository's own tools.
        let skipped = |dir: &str| {
            VENDORED_DIRS.contains(&dir)
                || (name.ends_with(".cs") && CSHARP_BUILD_DIRS.contains(&dir))
        };
        if kind == K::ToolCode && rel_path.split('/').any(skipped) {
            return None;
        }
        // Go builds neither `_test.go` files nor `testdata` directories into a program.
        if name.ends_with(".go")
            && (name.ends_with("_test.go") || rel_path.split('/').any(|d| d == "testdata"))
        {
            return None;
        }
        return Some(kind);
    }
    // The nearest of a `prompts/` directory and a data directory decides what a text file is.
    let dirs: Vec<&str> = rel_path.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    let nearest_marker = dirs.iter().enumerate().rev().find_map(|(i, dir)| {
        let dir = dir.to_ascii_lowercase();
        if dir == PROMPT_DIR {
            Some(K::Prompt(PromptFormat::Plain))
        } else {
            (DATA_DIRS.contains(&dir.as_str()) && !is_test_input_corpus(&dir, &dirs[..i]))
                .then_some(K::Corpus(CorpusFormat::Text))
        }
    });
    if nearest_marker == Some(K::Prompt(PromptFormat::Plain)) {
        let is_template = PROMPT_EXTENSIONS
            .iter()
            .any(|e| name.rsplit_once('.').is_some_and(|(_, ext)| ext == *e));
        return is_template.then_some(K::Prompt(PromptFormat::Plain));
    }
    let in_data_dir = nearest_marker.is_some() && !is_project_file(&name);
    if in_data_dir {
        if name.ends_with(".json") {
            return Some(K::Corpus(CorpusFormat::Json));
        }
        if name.ends_with(".txt") {
            return Some(K::Corpus(CorpusFormat::Text));
        }
    }
    // Tool definitions (`tools.json`, `openai_functions.json`); the content decides.
    if name.ends_with(".json") && (name.contains("tool") || name.contains("function")) {
        return Some(K::ToolJson);
    }
    // TRL-style JSON training configs (`sft_config.json`, `train_args.json` …); the content
    // decides whether they really are one.
    let training_words = ["dpo", "finetune", "fine_tune", "sft", "train"];
    if name.ends_with(".json") && training_words.iter().any(|w| name.contains(w)) {
        return Some(K::TrainingCandidate);
    }
    None
}

/// Refine a name-based kind from the file's first bytes. Returns `Sniffed::LfsPointer` for a
/// pointer standing in for any artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    LfsPointer,
    Zip,
    Other,
}

pub fn sniff(prefix: &[u8]) -> Sniffed {
    if crate::artifact::lfs::looks_like_pointer(prefix) {
        Sniffed::LfsPointer
    } else if crate::artifact::zipped::is_zip(prefix) {
        Sniffed::Zip
    } else {
        Sniffed::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_table_is_sorted_within_each_group() {
        let keys: Vec<_> = NAME_TABLE.iter().map(|(p, _)| p.key()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            keys, sorted,
            "NAME_TABLE must stay sorted: exact, suffix, prefix"
        );
        let mut dirs = DATA_DIRS.to_vec();
        dirs.sort();
        assert_eq!(dirs, DATA_DIRS);
    }

    #[test]
    fn project_files_in_a_data_directory_are_not_corpora() {
        for name in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements_gpu.txt",
            "dev-requirements.txt",
            "constraints.txt",
            "pip_freeze.gpu.txt",
            "record.schema.json",
            "schema.json",
            "cases_v1_schema.json",
            "cases-schema.json",
            "package.json",
            "tsconfig.json",
        ] {
            assert_eq!(detect(&format!("data/acme_set/{name}")), None, "{name}");
        }
        assert_eq!(
            detect("data/acme_set/schema_questions.json"),
            Some(K::Corpus(CorpusFormat::Json))
        );
        assert_eq!(
            detect("data/acme_set/requirements_of_users.json"),
            Some(K::Corpus(CorpusFormat::Json))
        );
        assert_eq!(
            detect("data/acme_set/train.txt"),
            Some(K::Corpus(CorpusFormat::Text))
        );
    }

    #[test]
    fn a_test_suites_or_fuzzers_corpus_is_not_training_data() {
        for path in [
            "packages/acme-core/test/corpus/fixtures/ping/request.json",
            "fuzz/corpus/parse_card/seed.txt",
            "src/__tests__/corpora/cases.json",
        ] {
            assert_eq!(detect(path), None, "{path}");
        }
        assert_eq!(
            detect("corpus/chats.json"),
            Some(K::Corpus(CorpusFormat::Json))
        );
        assert_eq!(
            detect("data/tests/corpus/chats.txt"),
            Some(K::Corpus(CorpusFormat::Text)),
            "still under a data directory"
        );
    }

    #[test]
    fn longest_suffix_wins() {
        assert_eq!(
            detect("m/model.safetensors.index.json"),
            Some(K::ShardIndex)
        );
        assert_eq!(
            detect("m/pytorch_model.bin.index.json"),
            Some(K::ShardIndex)
        );
        assert_eq!(detect("m/pytorch_model.bin"), Some(K::Pickle));
        assert_eq!(
            detect("m/model-00001-of-00002.safetensors"),
            Some(K::Safetensors)
        );
    }

    #[test]
    fn names_and_paths() {
        assert_eq!(detect("models/a/README.md"), Some(K::Card));
        assert_eq!(detect("models/a/config.json"), Some(K::ModelConfig));
        assert_eq!(detect("LICENSE"), Some(K::LicenseFile));
        assert_eq!(detect("m/LICENSE.txt"), Some(K::LicenseFile));
        assert_eq!(detect("data/DATA_LICENSE"), Some(K::LicenseFile));
        assert_eq!(detect("WEIGHT_DIFF_LICENSE"), Some(K::LicenseFile));
        assert_eq!(detect("m/LICENSE-MIT"), Some(K::LicenseFile));
        assert_eq!(detect("LICENSE.apache"), Some(K::LicenseFile));
        assert_eq!(detect("tools/license_utils.py"), Some(K::ToolCode));
        assert_eq!(
            detect("data/x/train.json"),
            Some(K::Corpus(CorpusFormat::Json))
        );
        assert_eq!(detect("src/settings.json"), None);
        assert_eq!(detect("notes.txt"), None);
        assert_eq!(
            detect("m/additional_chat_templates/tool_use.jinja"),
            Some(K::ChatTemplate)
        );
        assert_eq!(detect("train/axolotl.yaml"), Some(K::TrainingCandidate));
        assert_eq!(
            detect("configs/sft_config.json"),
            Some(K::TrainingCandidate)
        );
        assert_eq!(
            detect("data/train.json"),
            Some(K::Corpus(CorpusFormat::Json))
        );
    }

    #[test]
    fn prompts_and_changelogs() {
        let prompt = |f| Some(K::Prompt(f));
        assert_eq!(detect("a/triage.prompty"), prompt(PromptFormat::Prompty));
        assert_eq!(detect("a/s.prompt.yml"), prompt(PromptFormat::GithubModels));
        assert_eq!(
            detect("a/s.prompt.yaml"),
            prompt(PromptFormat::GithubModels)
        );
        assert_eq!(detect("a/s.prompt"), prompt(PromptFormat::Dotprompt));
        assert_eq!(
            detect(".github/prompts/review.prompt.md"),
            prompt(PromptFormat::PromptMarkdown)
        );
        assert_eq!(
            detect("prompts/support/system.md"),
            prompt(PromptFormat::Plain)
        );
        assert_eq!(detect("prompts/x.j2"), prompt(PromptFormat::Plain));
        assert_eq!(
            detect("plugins/AcmeWriter/Summarize/skprompt.txt"),
            prompt(PromptFormat::SemanticKernel)
        );
        assert_eq!(
            detect("data/AcmeWriter/Summarize/skprompt.txt"),
            prompt(PromptFormat::SemanticKernel),
            "a prompt directory in a data directory is no corpus"
        );
        assert_eq!(detect("data/prompts/x.txt"), prompt(PromptFormat::Plain));
        assert_eq!(
            detect("prompts/data/x.txt"),
            Some(K::Corpus(CorpusFormat::Text))
        );
        assert_eq!(detect("prompts/logo.png"), None);
        assert_eq!(detect("prompts/CHANGELOG.md"), Some(K::Changelog));
        assert_eq!(detect("prompts/a.changelog.md"), Some(K::Changelog));
        assert_eq!(detect("prompts/README.md"), Some(K::Card));
        assert_eq!(
            detect("evals/promptfooconfig.yaml"),
            Some(K::PromptfooConfig)
        );
    }

    #[test]
    fn agent_tool_files() {
        assert_eq!(detect(".mcp.json"), Some(K::McpConfig));
        assert_eq!(detect(".vscode/mcp.json"), Some(K::McpConfig));
        assert_eq!(detect(".cursor/mcp.json"), Some(K::McpConfig));
        assert_eq!(detect("claude_desktop_config.json"), Some(K::McpConfig));
        assert_eq!(detect("agents/tools.py"), Some(K::ToolCode));
        assert_eq!(detect("server/index.ts"), Some(K::ToolCode));
        assert_eq!(
            detect("src/Acme.Ops/Tools/OrderTools.cs"),
            Some(K::ToolCode)
        );
        assert_eq!(detect("src/Acme.Ops/obj/Debug/net9.0/Acme.Ops.g.cs"), None);
        assert_eq!(detect("src/Acme.Ops/bin/Release/Tools.cs"), None);
        // Only C# build output is skipped there.
        assert_eq!(detect("bin/acme_tools.py"), Some(K::ToolCode));
        assert_eq!(detect("tools/openai_tools.json"), Some(K::ToolJson));
        assert_eq!(detect("api/functions.json"), Some(K::ToolJson));
        assert_eq!(detect("src/settings.json"), None);
        assert_eq!(detect("node_modules/@acme/sdk/dist/server.js"), None);
        assert_eq!(
            detect(".venv/lib/python3.12/site-packages/x/tools.py"),
            None
        );
        assert_eq!(detect("cmd/server/main.go"), Some(K::ToolCode));
        assert_eq!(detect("internal/tools/Files.GO"), Some(K::ToolCode));
        // Go's tests, test data and vendored modules are not the program's tools.
        assert_eq!(detect("internal/tools/files_test.go"), None);
        assert_eq!(detect("internal/tools/testdata/server.go"), None);
        assert_eq!(detect("vendor/github.com/acme/mcp/server.go"), None);
        let mut vendored = VENDORED_DIRS.to_vec();
        vendored.sort();
        assert_eq!(vendored, VENDORED_DIRS);
        let mut build = CSHARP_BUILD_DIRS.to_vec();
        build.sort();
        assert_eq!(build, CSHARP_BUILD_DIRS);
    }
}
