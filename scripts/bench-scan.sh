#!/usr/bin/env bash
# Scan benchmark (issue 6): `floe bench` on a release build, with DuckDB (CLI and in process) and
# pyarrow as peers from the venv. Writes reports/<date>-<host>.{md,json} and -time.svg, -bytes.svg.
# Environment: ROWS (default 1000000 events, about 0.9 GB of JSON lines), RUNS (default 5),
# FLOE_BENCH_DATA (default Benchmarks/.data/scan) for the generated files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --python
# The DuckDB command-line binary (process-against-process peer) lands in .venv/bin/duckdb.
[ -x .venv/bin/duckdb ] || .venv/bin/pip install -q --disable-pip-version-check duckdb-cli
SCRATCH="${SCRATCH:-.build}"
swift build -c release --scratch-path "$SCRATCH" --product floe
data="${FLOE_BENCH_DATA:-Benchmarks/.data/scan}"
"$SCRATCH/release/floe" bench --rows "${ROWS:-1000000}" --runs "${RUNS:-5}" --dir "$data" \
    --reports reports --python .venv/bin/python
