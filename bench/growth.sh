#!/usr/bin/env bash
# aibom benchmark, performance goal 8 (growth): a scan's cost is linear in the bytes of text and in
# the number of files; weight files cost O(header) plus hashing, and nothing when hashes are free.
#
# Run from the repository root:   bench/growth.sh [options]      (bench/growth.sh --help)
#
# Inputs are generated under bench/work/growth/ (git-ignored) and reused by later runs; results go
# to bench/RESULTS-growth.md. bench/growth.py does the work; this script builds and checks tools.
set -euo pipefail

usage() {
    cat <<'TEXT'
usage: bench/growth.sh [options]

  --quick          small inputs, one round: checks that everything works (about a minute);
                   results go to bench/work/growth/RESULTS-quick.md
  --rounds N       rounds of timing, sizes in alternating order (default 3)
  --no-build       use target/release/aibom as it is
  -h, --help       this text

Needs python3, hyperfine and (for the bytes-read column) strace. The full run writes about 2.7 GB
under bench/work/growth/ and takes about 3 minutes on 2 cores.
TEXT
}

BUILD=1
ARGS=()
while (($#)); do
    case $1 in
        --quick) ARGS+=(--quick); shift ;;
        --rounds) ARGS+=(--rounds "$2"); shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "growth.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "growth.sh: $tool is required" >&2; exit 2; }
done
command -v strace >/dev/null || echo "growth.sh: strace is not installed; bytes read will not be measured" >&2
[[ -f Cargo.toml && -d bench ]] || { echo "growth.sh: run from the repository root" >&2; exit 2; }

WORK=bench/work
mkdir -p "$WORK"
if ((BUILD)); then
    cargo build --release --quiet
fi
# Time a private copy: target/ may be rebuilt by someone else mid-run.
cp target/release/aibom "$WORK/aibom-growth"
# The user's own hash cache is never touched: --no-cache, or a cache under bench/work/growth/.
export AIBOM_CACHE_DIR=$PWD/$WORK/growth/cache-unused
BUILT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || BUILT+=" with uncommitted source changes"
exec python3 bench/growth.py --bin "$PWD/$WORK/aibom-growth" --built-from "$BUILT" "${ARGS[@]}"
