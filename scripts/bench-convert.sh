#!/usr/bin/env bash
# JSON lines → Parquet benchmark: Floe (release build) against pyarrow, DuckDB and polars on the
# same generated events, in the same run. Writes reports/<date>-convert-benchmark.{md,json}.
# Environment: ROWS (default 1000000 events, about 0.9 GB), ROUNDS (default 3), FLOE_BIN (a floe
# release binary to use instead of building one), PYTHON (a Python with the peers instead of .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  scripts/install-deps.sh --python
  PYTHON=.venv/bin/python
fi
FLOE_BIN="${FLOE_BIN:-}"
if [ -z "$FLOE_BIN" ]; then
  swift build -c release --product floe
  FLOE_BIN="$PWD/.build/release/floe"
fi
ROWS="${ROWS:-1000000}"
ROUNDS="${ROUNDS:-3}"
data="${FLOE_BENCH_DATA:-Benchmarks/.data}"
mkdir -p "$data"
input="$data/events-$ROWS.jsonl"
[ -s "$input" ] || "$FLOE_BIN" gen --rows "$ROWS" --seed 1 -o "$input"
"$PYTHON" Benchmarks/python/convert_bench.py "$FLOE_BIN" "$input" "$data/convert-out" reports "$ROUNDS"
