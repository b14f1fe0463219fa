//! Library-level tests of a whole scan: the demo inventory, determinism, free hashes, the hash
//! cache, LFS size checks, and that a scan never writes into the scanned tree.

use std::path::{Path, PathBuf};

use aibom::inventory::ComponentKind;
use aibom::report::{Content, Format, RenderOptions, reporter};
use aibom::{ScanOptions, ScanResult, scan};

mod common;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

fn json(result: &ScanResult) -> String {
    let mut out = Vec::new();
    let options = RenderOptions {
        content: Content::Scan,
        color: false,
        quiet: false,
    };
    reporter(Format::Json)
        .render(result, &options, &mut out)
        .expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn scan_dir(dir: &Path) -> ScanResult {
    scan(ScanOptions::new(dir)).expect("scan runs")
}

#[test]
fn demo_inventory_has_every_kind_and_its_lineage() {
    let result = scan_dir(&fixture("demo"));
    let inv = &result.inventory;
    let expect = [
        ("model:models/acme-base-1b", ComponentKind::Model),
        ("adapter:models/support-lora", ComponentKind::Adapter),
        (
            "quantization:models/support-gguf/acme-support-8b.Q4_K_M.gguf",
            ComponentKind::Quantization,
        ),
        ("merge:merges/acme-merge", ComponentKind::Merge),
        ("dataset:data/support-chats", ComponentKind::Dataset),
        ("corpus:data/eval/questions.csv", ComponentKind::Corpus),
        ("model:hub/meta-llama/Llama-3.1-8B", ComponentKind::Model),
        (
            "model:vendor/hf-cache/models--acme--tiny-bert",
            ComponentKind::Model,
        ),
        (
            "licence-document:models/acme-base-1b/LICENSE",
            ComponentKind::LicenceDocument,
        ),
    ];
    for (id, kind) in expect {
        let c = inv.component(id).unwrap_or_else(|| {
            panic!(
                "no component {id}; have {:?}",
                inv.components.keys().collect::<Vec<_>>()
            )
        });
        assert_eq!(c.kind, kind, "{id}");
    }
    assert!(
        inv.component("model:hub/meta-llama/Llama-3.1-8B")
            .unwrap()
            .external
    );
    let has = |from: &str, kind: &str, to: &str| {
        inv.relations
            .iter()
            .any(|r| r.from == from && format!("{:?}", r.kind) == kind && r.to == to)
    };
    assert!(has(
        "adapter:models/support-lora",
        "DerivedFrom",
        "model:hub/meta-llama/Llama-3.1-8B"
    ));
    assert!(
        has(
            "adapter:models/support-lora",
            "TrainedOn",
            "dataset:data/support-chats"
        ),
        "axolotl config lineage"
    );
    assert!(has(
        "quantization:models/support-gguf/acme-support-8b.Q4_K_M.gguf",
        "DerivedFrom",
        "model:hub/meta-llama/Llama-3.1-8B"
    ));
    assert!(has(
        "merge:merges/acme-merge",
        "DerivedFrom",
        "model:models/acme-base-1b"
    ));
    assert!(has(
        "model:models/acme-base-1b",
        "LicensedBy",
        "licence-document:models/acme-base-1b/LICENSE"
    ));
    // Every weight file has a SHA-256.
    for c in inv
        .components
        .values()
        .filter(|c| c.kind.is_model_like() && !c.external)
    {
        let weights = c.files.iter().filter(|f| {
            aibom::detect::detect(&f.path).is_some_and(aibom::detect::ArtifactKind::is_weights)
        });
        for f in weights {
            assert!(f.sha256.is_some(), "{} has no hash", f.path);
        }
    }
    let codes: Vec<(&str, &str)> = result
        .findings
        .iter()
        .map(|f| (f.code, f.component.as_deref().unwrap_or("")))
        .collect();
    assert!(
        codes.contains(&("MOD001", "model:models/legacy-classifier/classifier.pt")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("MOD004", "model:models/remote-code-model")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("BOM002", "model:models/vision-onnx/model.onnx")),
        "{codes:?}"
    );
    assert!(
        !codes
            .iter()
            .any(|(code, c)| code.starts_with("MOD") && c.contains("sklearn-scaler")),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|(code, _)| *code == "BOM001"),
        "the demo parses cleanly: {:#?}",
        result.findings
    );
}

#[test]
fn hf_cache_repositories_give_repo_ids_revisions_and_blob_hashes() {
    let result = scan_dir(&fixture("demo"));
    let c = result
        .inventory
        .component("model:vendor/hf-cache/models--acme--tiny-bert")
        .expect("cache component");
    assert_eq!(c.hub_id.as_deref(), Some("acme/tiny-bert"));
    let revision = c.revision.as_deref().expect("revision from refs/main");
    assert_eq!(revision.len(), 40);
    let weights = c
        .files
        .iter()
        .find(|f| f.path.ends_with("model.safetensors"))
        .expect("snapshot file");
    assert!(weights.path.contains(revision));
    let blob = weights.sha256.as_deref().expect("blob hash");
    let content =
        std::fs::read(fixture("demo/vendor/hf-cache/models--acme--tiny-bert/blobs").join(blob))
            .expect("blob");
    assert_eq!(
        blob,
        sha256_hex(&content),
        "the blob name is the content's SHA-256"
    );
    assert!(
        c.files
            .iter()
            .any(|f| f.path.ends_with("config.json") && f.sha256.is_none()),
        "git SHA-1 blobs are not SHA-256"
    );
    assert_eq!(
        result.stats.hashes_free, 2,
        "counted as free: the blob's hash and the demo's one LFS pointer"
    );
}

#[test]
fn relations_from_finds_what_a_pass_over_every_relation_finds() {
    let result = scan_dir(&fixture("demo"));
    let inv = &result.inventory;
    assert!(
        inv.relations.is_sorted(),
        "relations_from relies on the order"
    );
    let mut found = 0;
    for id in inv.components.keys() {
        let fast: Vec<_> = inv.relations_from(id).collect();
        let slow: Vec<_> = inv.relations.iter().filter(|r| r.from == *id).collect();
        assert_eq!(fast, slow, "{id}");
        found += fast.len();
    }
    assert!(found > 5, "the demo has lineage to find: {found}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    aibom::artifact::hex(&Sha256::digest(bytes))
}

#[test]
fn lfs_pointer_weights_are_inventoried_without_reading_weights() {
    let result = scan_dir(&fixture("lfs-only"));
    assert_eq!(
        result.stats.bytes_hashed, 0,
        "nothing may be hashed: every hash comes from a pointer"
    );
    let big_a = result
        .inventory
        .component("model:models/big-a")
        .expect("big-a");
    assert_eq!(big_a.files.len(), 2);
    for f in &big_a.files {
        assert!(
            f.size > 1_000_000_000,
            "{}: the real size, not the pointer's",
            f.path
        );
        assert_eq!(
            f.hash_source,
            Some(aibom::artifact::parsed::HashSource::LfsPointer)
        );
        assert!(f.sha256.as_deref().is_some_and(|h| h.len() == 64));
    }
    assert!(
        result
            .findings
            .iter()
            .all(|f| f.code != "BOM001" && f.code != "BOM003"),
        "{:#?}",
        result.findings
    );
}

#[test]
fn two_scans_give_identical_json_whatever_the_thread_count() {
    let mut one = ScanOptions::new(fixture("demo"));
    one.jobs = Some(1);
    let mut two = ScanOptions::new(fixture("demo"));
    two.jobs = Some(2);
    let a = json(&scan(one).unwrap());
    let b = json(&scan(two).unwrap());
    assert_eq!(a, b);
    assert_eq!(a, json(&scan_dir(&fixture("demo"))));
}

fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.path().display().to_string(),
                e.path().symlink_metadata().unwrap().len(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_hash_cache_makes_a_rescan_read_nothing_and_lives_outside_the_tree() {
    let tree = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tree.path().join("m")).unwrap();
    let mut file = 16u64.to_le_bytes().to_vec();
    file.extend_from_slice(b"{\"__metadata__\":{}}    ");
    let header_len = (file.len() - 8) as u64;
    file[..8].copy_from_slice(&header_len.to_le_bytes());
    std::fs::write(tree.path().join("m/model.safetensors"), &file).unwrap();
    std::fs::write(tree.path().join("m/README.md"), "---\nlicense: mit\n---\n").unwrap();
    let before = listing(tree.path());
    let scan_with_cache = || {
        let mut options = ScanOptions::new(tree.path());
        options.cache_dir = Some(cache.path().to_owned());
        scan(options).unwrap()
    };

    // Written within seconds of the scan: its modification time could not tell a same-size
    // rewrite in the same tick apart, so it is not cached yet.
    let fresh = scan_with_cache();
    assert_eq!(
        (fresh.stats.hashes_computed, fresh.stats.hashes_from_cache),
        (1, 0)
    );
    common::settle(&tree.path().join("m/model.safetensors"));

    let first = scan_with_cache();
    assert_eq!(
        (first.stats.hashes_computed, first.stats.hashes_from_cache),
        (1, 0)
    );

    let second = scan_with_cache();
    assert_eq!(
        (second.stats.hashes_computed, second.stats.hashes_from_cache),
        (0, 1)
    );
    assert_eq!(second.stats.bytes_hashed, 0);
    assert_eq!(
        json(&first),
        json(&second),
        "cache hits must not change the output"
    );
    assert_eq!(
        before,
        listing(tree.path()),
        "a scan must not write into the scanned tree"
    );
}

/// The statistics of a large corpus are cached with its hash: an unchanged file is neither
/// hashed nor counted again, and a changed one is.
#[test]
fn a_large_corpus_is_counted_once_while_unchanged() {
    let tree = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tree.path().join("data")).unwrap();
    let corpus = tree.path().join("data/chats.jsonl");
    let line = "{\"messages\": [{\"role\": \"user\", \"content\": \"where is my parcel?\"}]}\n";
    let lines = 2 * 1024 * 1024 / line.len();
    std::fs::write(&corpus, line.repeat(lines)).unwrap();
    let run = || {
        let mut options = ScanOptions::new(tree.path());
        options.cache_dir = Some(cache.path().to_owned());
        let result = scan(options).unwrap();
        let component = result.inventory.components.values().next().unwrap();
        let counts = (
            component.properties["records"].as_u64().unwrap(),
            component.properties.get("malformed_records").cloned(),
        );
        let stats = &result.stats;
        let cached = (stats.corpus_stats_from_cache, stats.hashes_from_cache);
        (cached, counts, json(&result))
    };
    common::settle(&corpus);
    let (cached, counts, first) = run();
    assert_eq!((cached, counts), ((0, 0), (lines as u64, None)));
    let (cached, counts, second) = run();
    assert_eq!((cached, counts), ((1, 1), (lines as u64, None)));
    assert_eq!(first, second, "cache hits must not change the output");
    let kept = std::fs::read_to_string(cache.path().join("corpus-v1.txt")).unwrap();
    assert!(
        kept.contains("\"records\":") && !kept.contains("parcel"),
        "{kept}"
    );

    // A changed file is counted again.
    std::fs::write(&corpus, line.repeat(lines) + "not json\n").unwrap();
    common::settle(&corpus);
    let (cached, counts, _) = run();
    assert_eq!(
        (cached, counts),
        ((0, 0), (lines as u64 + 1, Some(1.into())))
    );
}

const POINTER_OID: &str = "9d7b3e2f5a0c4b1d8e6f7a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f";

fn pointer(size: u64) -> String {
    format!("version https://git-lfs.github.com/spec/v1\noid sha256:{POINTER_OID}\nsize {size}\n")
}

#[test]
fn lfs_pointer_size_is_checked_against_the_local_lfs_store() {
    let tree = tempfile::tempdir().unwrap();
    git2::Repository::init(tree.path()).unwrap();
    std::fs::write(tree.path().join("model.safetensors"), pointer(5000)).unwrap();
    std::fs::write(tree.path().join("README.md"), "---\nlicense: mit\n---\n").unwrap();
    let objects = tree
        .path()
        .join(".git/lfs/objects")
        .join(&POINTER_OID[..2])
        .join(&POINTER_OID[2..4]);
    std::fs::create_dir_all(&objects).unwrap();
    std::fs::write(objects.join(POINTER_OID), vec![0u8; 4096]).unwrap();
    let found = scan_dir(tree.path()).findings;
    let bom004: Vec<_> = found.iter().filter(|f| f.code == "BOM004").collect();
    assert_eq!(bom004.len(), 1, "{found:#?}");
    assert!(bom004[0].message.contains("5000") && bom004[0].message.contains("4096"));

    std::fs::write(objects.join(POINTER_OID), vec![0u8; 5000]).unwrap();
    assert!(
        scan_dir(tree.path())
            .findings
            .iter()
            .all(|f| f.code != "BOM004"),
        "equal sizes are fine"
    );
}

#[test]
fn real_weights_are_checked_against_the_pointer_in_the_git_index() {
    let tree = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(tree.path()).unwrap();
    std::fs::write(tree.path().join("README.md"), "---\nlicense: mit\n---\n").unwrap();
    std::fs::write(tree.path().join("weights.bin"), pointer(999)).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("weights.bin")).unwrap();
    index.write().unwrap();
    // The working tree now holds real content of another size (a pickle: `N.` = None).
    std::fs::write(tree.path().join("weights.bin"), b"\x80\x02N.").unwrap();
    let found = scan_dir(tree.path()).findings;
    assert!(
        found.iter().any(|f| f.code == "BOM004"
            && f.message.contains("999")
            && f.message.contains("the working tree")),
        "{found:#?}"
    );
}

/// Many formats end in `.bin`: one that is no pickle is not a model, unless its name is a
/// PyTorch checkpoint's, which is then reported as unreadable.
#[test]
fn a_bin_file_that_is_no_pickle_is_not_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let ggml = b"lmgg\x01\x00\x00\x00\x80\x0c\x00\x00";
    std::fs::create_dir_all(dir.path().join("ggml")).unwrap();
    std::fs::create_dir_all(dir.path().join("torch")).unwrap();
    std::fs::write(dir.path().join("ggml/ggml-tiny.bin"), ggml).unwrap();
    std::fs::write(dir.path().join("torch/pytorch_model.bin"), ggml).unwrap();
    let result = scan_dir(dir.path());
    let files: Vec<&str> = result
        .inventory
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(files, ["torch/pytorch_model.bin"]);
    let models: Vec<&str> = result
        .inventory
        .components
        .keys()
        .map(String::as_str)
        .filter(|id| id.starts_with("model:"))
        .collect();
    assert_eq!(models, ["model:torch/pytorch_model.bin"]);
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.code == "BOM001" && f.message.contains("pytorch_model.bin")),
        "{:#?}",
        result.findings
    );
}

/// JSON written with a byte order mark (as Windows editors write it) is read: the MCP config's
/// server and the model's remote code are found, not reported unparseable.
#[test]
fn json_files_with_a_byte_order_mark_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("\u{FEFF}{text}")).unwrap();
    };
    write(
        ".mcp.json",
        r#"{"mcpServers":{"acme":{"command":"npx","args":["-y","acme-mcp"]}}}"#,
    );
    write(
        "models/acme/config.json",
        r#"{"model_type":"acme","auto_map":{"AutoModel":"modeling_acme.AcmeModel"}}"#,
    );
    std::fs::write(dir.path().join("models/acme/model.safetensors"), b"").unwrap();
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let codes: Vec<&str> = result.findings.iter().map(|f| f.code).collect();
    let unparsed: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "BOM001" && f.subject.ends_with(".json"))
        .map(|f| f.message.as_str())
        .collect();
    assert!(unparsed.is_empty(), "{unparsed:?}");
    assert!(codes.contains(&"MOD004"), "{codes:?}");
    assert!(result.inventory.agent_tools.contains_key("mcp:acme"));
}

/// A fine-tuning config whose `output_dir` holds no weights describes the model it trains: a
/// model or adapter component without files at the config's path, with the config's lineage,
/// the licence it inherits and the personal data it learns from. A config whose output is in
/// the tree adds nothing: its lineage goes to those weights. A corpus beside a config (here at
/// the root) does not stop it; a template or an evaluation run describes no model.
#[test]
fn a_training_config_describes_the_model_it_trains_until_the_weights_are_there() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "recipes/sft.yaml",
        "model_name_or_path: google/gemma-2-9b\ndataset_mixture:\n  datasets:\n    - id: acme/chats\n\
         output_dir: data/acme-sft\nhub_model_id: acme-gemma-sft\n",
    );
    write(
        "lora.yaml",
        "base_model: google/gemma-2-9b\nadapter: qlora\ndatasets:\n  - path: tickets.jsonl\n    \
         type: chat_template\noutput_dir: ./out/lora\n",
    );
    write(
        "tickets.jsonl",
        "{\"text\": \"write to alex.customer@acme-mail.net\"}\n",
    );
    write(
        "recipes/present.yaml",
        "base_model: google/gemma-2-9b\nadapter: lora\ndatasets:\n  - path: tickets.jsonl\n    \
         type: chat_template\noutput_dir: models/acme-lora\n",
    );
    write(
        "models/acme-lora/adapter_config.json",
        "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"google/gemma-2-9b\"}",
    );
    write("models/acme-lora/adapter_model.safetensors", "");
    // A template (its base model filled in at run time) and an evaluation run train nothing.
    write(
        "templates/cloud.yaml",
        "base_model: ${BASE_MODEL}\ndatasets:\n  - path: ${DATASET_PATH}\noutput_dir: ./outputs\n",
    );
    write(
        "eval/predict.yaml",
        "model_name_or_path: google/gemma-2-9b\nstage: sft\ndo_predict: true\n\
         finetuning_type: lora\neval_dataset: identity\noutput_dir: saves/predict\n",
    );
    let result = scan_dir(dir.path());
    let inv = &result.inventory;
    let ids: Vec<&str> = inv
        .components
        .values()
        .filter(|c| c.kind.is_model_like() && !c.external)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "adapter:lora.yaml",
            "adapter:models/acme-lora",
            "model:recipes/sft.yaml"
        ]
    );
    let sft = inv.component("model:recipes/sft.yaml").unwrap();
    assert_eq!(sft.name, "acme-gemma-sft");
    assert!(sft.files.is_empty());
    assert_eq!(sft.properties["weights_present"], false);
    assert_eq!(sft.properties["output_dir"], "data/acme-sft");
    let has = |from: &str, kind: &str, to: &str| {
        inv.relations
            .iter()
            .any(|r| r.from == from && format!("{:?}", r.kind) == kind && r.to == to)
    };
    let gemma = "model:hub/google/gemma-2-9b";
    assert!(has("model:recipes/sft.yaml", "DerivedFrom", gemma));
    assert!(has(
        "model:recipes/sft.yaml",
        "TrainedOn",
        "dataset:hub/acme/chats"
    ));
    assert!(has("adapter:lora.yaml", "DerivedFrom", gemma));
    assert!(has(
        "adapter:lora.yaml",
        "TrainedOn",
        "corpus:tickets.jsonl"
    ));
    assert!(has(
        "adapter:models/acme-lora",
        "TrainedOn",
        "corpus:tickets.jsonl"
    ));
    let inherited = &sft.concluded_license.as_ref().unwrap().inherited;
    assert!(
        inherited.iter().any(|i| i.license.starts_with("gemma")),
        "{inherited:?}"
    );
    let at = |code: &str, component: &str| {
        result
            .findings
            .iter()
            .find(|f| f.code == code && f.component.as_deref() == Some(component))
    };
    let review = at("LIC010", "model:recipes/sft.yaml").expect("gemma terms to review");
    assert_eq!(review.location.as_ref().unwrap().path, "recipes/sft.yaml");
    let pii = at("PII003", "adapter:lora.yaml").expect("trained on personal data");
    assert!(
        pii.message.contains(
            "(its weights are not in the repository) is trained on personal data (email)"
        ),
        "{}",
        pii.message
    );
    assert!(!pii.message.contains("alex.customer"));
}

#[test]
fn a_readme_without_front_matter_does_not_make_one_model_of_a_folders_weights() {
    // An example folder's notes beside two unrelated networks: two models, each without a card.
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("examples/zoo");
    std::fs::create_dir_all(&models).unwrap();
    for name in ["acme-vision.onnx", "acme-speech.onnx"] {
        std::fs::copy(
            fixture("demo/models/vision-onnx/model.onnx"),
            models.join(name),
        )
        .unwrap();
    }
    std::fs::write(
        models.join("README.md"),
        "# Model zoo\n\nTwo example networks.\n",
    )
    .unwrap();
    let result = scan_dir(dir.path());
    let ids: Vec<&str> = result
        .inventory
        .components
        .values()
        .filter(|c| c.kind.is_model_like())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "model:examples/zoo/acme-speech.onnx",
            "model:examples/zoo/acme-vision.onnx"
        ]
    );
    let bom002 = result
        .findings
        .iter()
        .filter(|f| f.code == "BOM002")
        .count();
    assert_eq!(bom002, 2, "{:#?}", result.findings);

    // With front matter it is the folder's card, and the folder one model.
    std::fs::write(models.join("README.md"), "---\nlicense: mit\n---\n# Zoo\n").unwrap();
    let result = scan_dir(dir.path());
    assert!(
        result
            .inventory
            .components
            .contains_key("model:examples/zoo")
    );
    assert!(!result.findings.iter().any(|f| f.code == "BOM002"));
}
