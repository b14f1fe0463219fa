#!/usr/bin/env bash
# aibom benchmark, performance goal 5 (pre-commit latency): `aibom scan --staged` with one staged
# prompt in a repository of 20,000 files and 2 GB of weights answers in <= 150 ms (median, warm).
#
# Run from the repository root:   bench/staged.sh [options]      (bench/staged.sh --help)
#
# The repository is generated under bench/work/staged/ (git-ignored), committed once, and reused by
# later runs; each run restores the prompt, stages one edit of it and times the staged scan with
# hyperfine. Results go to bench/RESULTS-staged.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/staged.sh [options]

  --files N        files in the repository (default 20000)
  --weights-gb N   total size of the weight files, written as sparse files (default 2)
  --runs N         hyperfine runs (default 30)
  --no-build       use target/release/aibom as it is
  --regenerate     delete and rebuild bench/work/staged/
  -h, --help       this text
EOF
}

FILES=20000
WEIGHTS_GB=2
RUNS=30
BUILD=1
REGENERATE=0
while (($#)); do
    case $1 in
        --files) FILES=$2; shift 2 ;;
        --weights-gb) WEIGHTS_GB=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --regenerate) REGENERATE=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "staged.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

for tool in git hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "staged.sh: $tool is required" >&2; exit 2; }
done
[[ -f Cargo.toml && -d bench ]] || { echo "staged.sh: run from the repository root" >&2; exit 2; }

WORK=bench/work
REPO=$WORK/staged
STAMP="files=$FILES weights_gb=$WEIGHTS_GB"
mkdir -p "$WORK"

if ((BUILD)); then
    cargo build --release --quiet
fi
# Time a private copy: target/ may be rebuilt by someone else mid-run.
cp target/release/aibom "$WORK/aibom-staged"
BIN=$PWD/$WORK/aibom-staged

if ((REGENERATE)) || [[ ! -f $REPO/.bench-stamp ]] || [[ $(cat "$REPO/.bench-stamp") != "$STAMP" ]]; then
    rm -rf "$REPO"
    mkdir -p "$REPO"
    echo "generating $REPO ($STAMP)…" >&2
    python3 - "$REPO" "$FILES" "$WEIGHTS_GB" <<'PY'
import json, os, struct, sys

root, files, weights_gb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def write(path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)

# Weights: 8 safetensors shards with valid headers, the data left sparse (holes read as zeros).
shards = 8
shard_bytes = int(weights_gb * 1e9 / shards)
weight_map = {}
for i in range(shards):
    name = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
    header = {"__metadata__": {"format": "pt"}}
    data_len = shard_bytes - 4096
    header[f"layers.{i}.weight"] = {"dtype": "F16", "shape": [data_len // 2], "data_offsets": [0, data_len // 2 * 2]}
    blob = json.dumps(header).encode()
    blob += b" " * (-len(blob) % 8)
    path = os.path.join(root, "models/acme-bench", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)) + blob)
        f.truncate(8 + len(blob) + data_len // 2 * 2)
    weight_map[f"layers.{i}.weight"] = name
write("models/acme-bench/model.safetensors.index.json", json.dumps({"metadata": {}, "weight_map": weight_map}))
write("models/acme-bench/README.md", "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# Acme bench model\n")
write("models/acme-bench/config.json", json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}))

# Prompts with a changelog.
write("prompts/CHANGELOG.md", "# Prompt changelog\n\n## prompts/support/system.md\n\n- v1: first version.\n")
write("prompts/support/system.md", "---\nversion: 1\nowner: support-ml\n---\nYou are the Acme support assistant.\n")

# The rest: source files and documents in a deep-ish tree, up to the file count.
made = sum(len(fs) for _, _, fs in os.walk(root))
i = 0
while made < files:
    d = f"src/pkg{i // 400:03d}/mod{(i // 20) % 20:02d}"
    ext = ("py", "md", "json", "txt", "ts")[i % 5]
    write(f"{d}/file{i:05d}.{ext}", f"# generated file {i}\nvalue = {i}\n")
    i += 1
    made += 1
PY
    (
        cd "$REPO"
        git init -q
        git config user.email bench@example.com
        git config user.name "Acme bench"
        git config core.bigFileThreshold 1m
        git add -A
        git commit -q -m "bench repository"
    )
    echo "$STAMP" > "$REPO/.bench-stamp"
fi

PROMPT=prompts/support/system.md
(
    cd "$REPO"
    git checkout -q -- "$PROMPT"
    printf -- "---\nversion: 1\nowner: support-ml\n---\nYou are the Acme support assistant. Be brief.\n" > "$PROMPT"
    git add "$PROMPT"
)
TRACKED=$(git -C "$REPO" ls-files | wc -l)
WEIGHT_BYTES=$(du -b --apparent-size -c "$REPO"/models/acme-bench/*.safetensors | tail -1 | cut -f1)

export AIBOM_CACHE_DIR=$PWD/$WORK/cache-staged
# Warm: one full scan fills the hash cache, then the staged scan runs a few times before timing.
(cd "$REPO" && "$BIN" scan . --quiet --fail-on never >/dev/null)
JSON=$WORK/staged-hyperfine.json
(
    cd "$REPO"
    hyperfine --warmup 5 --runs "$RUNS" --export-json "$PWD/../staged-hyperfine.json" \
        --command-name "aibom scan --staged" \
        "$BIN scan --staged --quiet --fail-on never" >&2
)
# Check what the staged scan reported: the staged prompt, and nothing else.
FINDINGS=$(cd "$REPO" && "$BIN" scan --staged --format json --fail-on never | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print(", ".join(sorted(f["code"] + " " + f["location"]["path"] for f in d["findings"])) or "none")')
(cd "$REPO" && git reset -q -- "$PROMPT" && git checkout -q -- "$PROMPT")

python3 - "$JSON" "$TRACKED" "$WEIGHT_BYTES" "$RUNS" "$FINDINGS" <<'PY' > bench/RESULTS-staged.md
import json, os, platform, sys
path, tracked, weight_bytes, runs, findings = sys.argv[1:6]
r = json.load(open(path))["results"][0]
median_ms = r["median"] * 1000
ok = median_ms <= 150
cores = os.cpu_count()
load = os.getloadavg()[0]
print("# Goal 5: pre-commit latency (`aibom scan --staged`)\n")
print("Generated by `bench/staged.sh`; do not edit.\n")
print(f"Repository: {tracked} tracked files, {int(weight_bytes) / 1e9:.2f} GB of safetensors weights "
      "(8 shards, sparse), one commit; one prompt edit staged (`prompts/support/system.md`).")
print(f"Warm: the hash cache was filled by a full scan first; {runs} timed runs after 5 warm-up runs.\n")
print("| Measure | Value |\n|---|---|")
print(f"| median | {median_ms:.1f} ms |")
print(f"| mean ± σ | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms |")
print(f"| min / max | {r['min'] * 1000:.1f} / {r['max'] * 1000:.1f} ms |")
print(f"| goal | ≤ 150 ms median: **{'met' if ok else 'NOT met'}** |")
print(f"| findings on the staged change | {findings} |")
print(f"\nMachine: {platform.system()} {platform.machine()}, {cores} cores, load average {load:.2f} at the end.")
PY
cat bench/RESULTS-staged.md
