#!/usr/bin/env bash
# Runs aibom's fuzz targets: fuzz/run.sh SECONDS [TARGET...]
#
# Each target runs for SECONDS (all targets when none is named) under libFuzzer, with a 2 GB RSS
# limit and a 10 s per-input timeout. Seed corpora are copied from fixtures/, license-db/ and
# tests/fuzz-regressions/<target>/ at run time into fuzz/corpus/<target>/ (not committed);
# crashes land in fuzz/artifacts/<target>/.
# A stable toolchain works: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly-only flags.
# Needs `cargo install cargo-fuzz`. Logs go to fuzz/logs/<target>.log.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
seconds="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
all_targets=(gguf keras_config license_record mcp_tools model_card numpy onnx parquet pickle pii policy_config safetensors zip)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

export RUSTC_BOOTSTRAP=1
cd "$here"

# seed TARGET PREFIX_BYTES FIND_ARGS...: copy matching files from the repository into the
# target's corpus, once per selector byte (targets that reach several parsers read the first
# byte as a selector; an empty PREFIX_BYTES copies the file as it is).
seed() {
    local target="$1" prefixes="$2"
    shift 2
    local dir="$here/corpus/$target"
    mkdir -p "$dir"
    find "$repo/fixtures" "$repo/license-db" "$repo/.github" "$repo/tests/fuzz-regressions/$target" \
        -type f -size -1024k "$@" 2>/dev/null |
        while IFS= read -r file; do
            local name
            name="$(printf '%s' "$file" | sha256sum | cut -c1-16)"
            if [ -z "$prefixes" ]; then
                cp "$file" "$dir/$name"
            else
                for p in $prefixes; do
                    { printf "\\x$(printf '%02x' "$p")"; cat "$file"; } > "$dir/$name-$p"
                done
            fi
        done
}

for target in "${targets[@]}"; do
    case "$target" in
    safetensors) seed "$target" "" \( -name '*.safetensors' -o -name '*.index.json' \) ;;
    gguf) seed "$target" "" -name '*.gguf' ;;
    pickle) seed "$target" "" \( -name '*.pkl' -o -name '*.pickle' -o -name '*.joblib' -o -name '*.bin' -o -name '*.ckpt' \) ;;
    zip) seed "$target" "" \( -name '*.pt' -o -name '*.pth' -o -name '*.keras' -o -name '*.npz' \) ;;
    numpy) seed "$target" "" -name '*.npy' ;;
    onnx) seed "$target" "" -name '*.onnx' ;;
    parquet) seed "$target" "" -name '*.parquet' ;;
    keras_config) seed "$target" "" \( -name '*.h5' -o -path '*keras*' -name '*.json' \) ;;
    model_card) seed "$target" "0 1 2 3 4 5 6 7" \( -name 'README.md' -o -name '*.json' -o -name '*.yml' -o -name '*.yaml' -o -name '*.prompt*' -o -name '*.jinja' \) ;;
    pii) seed "$target" "0 1 2 3 4" \( -name '*.jsonl' -o -name '*.csv' -o -name '*.tsv' -o -name '*.txt' \) ;;
    mcp_tools) seed "$target" "0 1 2 3 4 5" \( -name '*mcp*.json' -o -name '*tools*.json' -o -name '*.py' -o -name '*.ts' -o -name '*.go' -o -name '*.cs' \) ;;
    policy_config) seed "$target" "" -name 'aibom.toml' ;;
    license_record) seed "$target" "" -path '*license-db*' -name '*.toml' ;;
    *) echo "unknown target: $target (known: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

cargo fuzz build -O
mkdir -p "$here/logs"
for target in "${targets[@]}"; do
    mkdir -p "$here/artifacts/$target"
    echo "== $target: ${seconds}s"
    cargo fuzz run -O "$target" "$here/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$here/artifacts/$target/" -print_final_stats=1 \
        >"$here/logs/$target.log" 2>&1 && status=ok || status="FAILED (see fuzz/logs/$target.log)"
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$here/logs/$target.log" || true
    echo "corpus: $(find "$here/corpus/$target" -type f | wc -l) files; result: $status"
done
