#!/usr/bin/env bash
# Floe's test command: installs what it needs, builds, runs the Swift tests and the
# interop tests against pyarrow, DuckDB and polars.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --python
swift build
swift test
FLOE_BIN="$PWD/.build/debug/floe" .venv/bin/python -m pytest -q -n 2 Tests/interop
