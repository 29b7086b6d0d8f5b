#!/usr/bin/env bash
# Installs the Debian 12 packages corral needs to build, test and fuzz
# (tmux drives the CLI terminal tests; PyYAML + jsonschema check API responses
# against the OpenAPI file; node/npm, where present, run the JS client tests).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(build-essential cmake ninja-build pkg-config g++ clang-14 libclang-rt-14-dev
  libcpp-httplib-dev libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev libedit-dev libssl-dev
  libpcre2-dev libutf8proc-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  docker-registry curl ca-certificates tmux python3 python3-yaml python3-jsonschema)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
