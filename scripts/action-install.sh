#!/usr/bin/env bash
# The GitHub Action's install step: put an aibom binary on PATH.
#
# AIBOM_VERSION empty (the default): build from the action's own checkout with
#   `cargo install --locked`, so the binary is exactly the code of the action's ref.
# AIBOM_VERSION=X.Y.Z: download the release archive for this runner and verify it against the
#   SHA-256 recorded in the action's dist/checksums.txt; an archive that is not listed, or whose
#   hash differs, is refused (the step fails rather than running an unverified binary).
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
install_root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/aibom-install"
mkdir -p "$install_root/bin"

if [[ -z "${AIBOM_VERSION:-}" ]]; then
  command -v cargo >/dev/null || { echo "::error title=aibom::cargo is needed to build aibom (or set the version input to a release)"; exit 1; }
  cargo install --locked --quiet --path "$action_dir" --root "$install_root"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *) echo "::error title=aibom::no release binary for $(uname -s) $(uname -m); leave the version input empty to build from source"; exit 1 ;;
  esac
  archive="aibom-${AIBOM_VERSION}-${target}.tar.gz"
  expected="$(awk -v f="$archive" '$2 == f { print $1 }' "$action_dir/dist/checksums.txt")"
  if [[ -z "$expected" ]]; then
    echo "::error title=aibom::$archive is not listed in dist/checksums.txt of this action; leave the version input empty to build from source"
    exit 1
  fi
  repository="${GITHUB_ACTION_REPOSITORY:-${AIBOM_REPOSITORY:-}}"
  [[ -n "$repository" ]] || { echo "::error title=aibom::cannot tell which repository publishes the release"; exit 1; }
  download="$install_root/$archive"
  curl --fail --silent --show-error --location --retry 3 --output "$download" \
    "${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/v${AIBOM_VERSION}/$archive"
  actual="$( (sha256sum "$download" 2>/dev/null || shasum -a 256 "$download") | awk '{ print $1 }')"
  if [[ "$actual" != "$expected" ]]; then
    echo "::error title=aibom::SHA-256 of $archive is $actual, expected $expected; refusing to run it"
    exit 1
  fi
  tar -xzf "$download" -C "$install_root/bin" aibom
fi

echo "$install_root/bin" >> "${GITHUB_PATH:-/dev/null}"
echo "bin=$install_root/bin/aibom" >> "${GITHUB_OUTPUT:-/dev/null}"
"$install_root/bin/aibom" --version
