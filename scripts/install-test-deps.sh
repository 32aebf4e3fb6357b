#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing:
# gcc (cgo, for DuckDB) and Debian's PostgreSQL server (Debian 12 ships 15),
# whose binaries the tests use to start throwaway servers (internal/pgtest).
# No cluster is started here; the Debian package may create one, which the
# tests ignore. Go modules come from the module proxy on the first build.
set -euo pipefail
missing=()
command -v gcc >/dev/null || missing+=(gcc)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "install-test-deps: need ${missing[*]}; run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "install-test-deps: postgresql installed but /usr/lib/postgresql/15/bin/initdb is missing (not Debian 12?)" >&2
  exit 1
fi
