#!/usr/bin/env bash
# JSON lines → Parquet benchmark: Floe (release build) against pyarrow, DuckDB and polars on the
# same generated events, in the same run. Writes reports/<date>-convert-benchmark.{md,json}.
# Environment: ROWS (default 1000000 events, about 0.9 GB), ROUNDS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --python
swift build -c release --product floe
ROWS="${ROWS:-1000000}"
ROUNDS="${ROUNDS:-3}"
data="${FLOE_BENCH_DATA:-Benchmarks/.data}"
mkdir -p "$data"
input="$data/events-$ROWS.jsonl"
[ -s "$input" ] || .build/release/floe gen --rows "$ROWS" --seed 1 -o "$input"
.venv/bin/python Benchmarks/python/convert_bench.py "$PWD/.build/release/floe" "$input" "$data/convert-out" reports "$ROUNDS"
