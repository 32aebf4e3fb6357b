#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing.
# Go modules come from the module proxy on the first build.
set -euo pipefail
missing=()
command -v gcc >/dev/null || missing+=(gcc)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "install-test-deps: need ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
