#!/usr/bin/env bash
# Times Floe against pyarrow reading whole Parquet files into memory on one thread, and writes
# reports/<YYYY-MM-DD>-read-benchmark.md and .json.
#
#  1. builds Benchmarks' floe-read-bench in release mode;
#  2. generates (with pyarrow, Benchmarks/python/make_data.py) a deterministic 1M-row,
#     10-column file, written with zstd and with snappy, pyarrow's defaults otherwise;
#  3. times floe-read-bench and `pq.read_table(path, use_threads=False)` on the same files,
#     alternating, several rounds each;
#  4. checks that Floe read the same data as pyarrow (row count, per-column null counts and
#     sums) and fails if not; writes the report.
#
# Environment: ROUNDS (default 5), RUNS timed reads per process (3), WARMUP (1), ROWS (1000000),
# PYTHON (default .venv/bin/python, created by scripts/install-deps.sh --python),
# FLOE_BENCH_DATA (data folder, default Benchmarks/.data), FLOE_BENCH_SCRATCH (SwiftPM scratch
# path, default Benchmarks/.build, the one `swift package benchmark` uses),
# FLOE_COMMIT (recorded in the report when the tree is not a git checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ROUNDS="${ROUNDS:-5}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
ROWS="${ROWS:-1000000}"
DATA="${FLOE_BENCH_DATA:-$ROOT/Benchmarks/.data}"
SCRATCH="${FLOE_BENCH_SCRATCH:-$ROOT/Benchmarks/.build}"
CODECS=(zstd snappy)
COMMAND="ROUNDS=$ROUNDS RUNS=$RUNS WARMUP=$WARMUP ROWS=$ROWS scripts/bench-read.sh"

if [ -z "${PYTHON:-}" ]; then
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import pyarrow" 2>/dev/null; then
    scripts/install-deps.sh --python
  fi
  PYTHON="$ROOT/.venv/bin/python"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(load)"

echo "== building floe-read-bench (release)" >&2
swift build -c release --package-path Benchmarks --scratch-path "$SCRATCH" --product floe-read-bench >&2
BIN="$(swift build -c release --package-path Benchmarks --scratch-path "$SCRATCH" --show-bin-path)/floe-read-bench"

echo "== data in $DATA" >&2
mkdir -p "$DATA"
STAMP="$DATA/stamp-$ROWS"
HASH="$(sha256sum Benchmarks/python/make_data.py | cut -c1-16) $("$PYTHON" -c 'import pyarrow; print(pyarrow.__version__)')"
need=0
for c in "${CODECS[@]}"; do [ -f "$DATA/bench-$ROWS-$c.parquet" ] || need=1; done
[ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] || need=1
if [ "$need" = 1 ]; then
  args=(); for c in "${CODECS[@]}"; do args+=(--codec "$c"); done
  "$PYTHON" Benchmarks/python/make_data.py "$DATA" --rows "$ROWS" "${args[@]}" >&2
  echo "$HASH" > "$STAMP"
fi

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS" "$RESULTS.info"' EXIT
tag() { "$PYTHON" -c 'import json,sys; d=json.loads(sys.stdin.read()); d["codec"]=sys.argv[1]; d["round"]=int(sys.argv[2]); print(json.dumps(d))' "$1" "$2"; }
run_floe() { "$BIN" "$1" --runs "$RUNS" --warmup "$WARMUP"; }
run_arrow() { "$PYTHON" Benchmarks/python/read_bench.py "$1" --runs "$RUNS" --warmup "$WARMUP"; }

for c in "${CODECS[@]}"; do
  f="$DATA/bench-$ROWS-$c.parquet"
  for r in $(seq 1 "$ROUNDS"); do
    echo "== $c round $r/$ROUNDS" >&2
    if [ $((r % 2)) = 1 ]; then
      run_floe "$f" | tag "$c" "$r" >> "$RESULTS"
      run_arrow "$f" | tag "$c" "$r" >> "$RESULTS"
    else
      run_arrow "$f" | tag "$c" "$r" >> "$RESULTS"
      run_floe "$f" | tag "$c" "$r" >> "$RESULTS"
    fi
  done
done

LOAD_AFTER="$(load)"
DATE="$(date -u +%F)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo "${FLOE_COMMIT:-unknown}")"
if git rev-parse HEAD >/dev/null 2>&1 && [ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
  COMMIT="$COMMIT (with uncommitted changes in Sources)"
fi
"$PYTHON" - "$RESULTS.info" <<EOF
import json, platform, sys
import pyarrow
info = {
    "date": "$DATE",
    "nproc": "$(nproc)",
    "cpu_model": """$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')""",
    "memory": """$(free -h | awk '/^Mem:/ {print $2}')""",
    "load_before": "$LOAD_BEFORE (1/5/15-minute load averages)",
    "load_after": "$LOAD_AFTER",
    "kernel": platform.release(),
    "swift": """$(swift --version 2>&1 | head -1)""",
    "python": platform.python_version(),
    "pyarrow": pyarrow.__version__,
    "floe_commit": """$COMMIT""",
    "rounds": $ROUNDS, "runs": $RUNS, "warmup": $WARMUP,
    "command": """$COMMAND""",
    "data_description": "$ROWS rows, 10 columns (Benchmarks/python/make_data.py): id int64 (a permutation), "
        "i32 int32, quantity int32 (0-100), price double, score double with ~10% nulls, category string "
        "(20 values), name string (~63% of a pool of $ROWS random 8-24 char strings), ts timestamp[us, UTC], "
        "flag bool, day date32. Written by pyarrow " + pyarrow.__version__ + " with "
        "pq.write_table(table, path, compression=CODEC) and its defaults otherwise: dictionary encoding on "
        "(PLAIN fallback past the 1 MiB dictionary page limit), data page v1, pyarrow's default page size (1 MiB) and "
        "page row limit, one row group, statistics on.",
}
json.dump(info, open(sys.argv[1], "w"))
EOF

mkdir -p reports
"$PYTHON" Benchmarks/python/report.py "$RESULTS" "$RESULTS.info" \
  "reports/$DATE-read-benchmark.md" "reports/$DATE-read-benchmark.json"
echo "wrote reports/$DATE-read-benchmark.md and .json" >&2
