#!/usr/bin/env bash
# Times Floe against pyarrow on nested-column assembly and on each delta encoding, one thread,
# and writes reports/<YYYY-MM-DD>-nested-delta-benchmark.md and .json.
#
#  1. builds Benchmarks' floe-nested-bench in release mode;
#  2. generates (with pyarrow, Benchmarks/python/make_nested_data.py) the deterministic,
#     uncompressed files: list<struct<id,price,qty>> and list<list<list<int64>>> (1M rows each),
#     and one file per delta encoding (DELTA_BINARY_PACKED INT32 and INT64, 10M values each;
#     DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY, 2M strings each);
#  3. times floe-nested-bench (decode + NestedAssembly) and pyarrow's read_table on the same
#     files, alternating, several rounds each; floe-nested-bench runs twice per round, with
#     glibc malloc's defaults and with GLIBC_TUNABLES that keep freed memory (see KEEP_MEMORY);
#  4. checks that Floe read the same data as pyarrow (Benchmarks/python/nested_report.py) and
#     fails if not; writes the report.
#
# Environment: ROUNDS (default 5), RUNS timed reads per process (3), WARMUP (1),
# PYTHON (default .venv/bin/python, created by scripts/install-deps.sh --python),
# FLOE_BENCH_DATA (data folder, default Benchmarks/.data/nested), FLOE_BENCH_SCRATCH (SwiftPM
# scratch path, default Benchmarks/.build), FLOE_COMMIT (recorded when the tree is not a git
# checkout), ONLY (space-separated subset of the file names below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ROUNDS="${ROUNDS:-5}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
DATA="${FLOE_BENCH_DATA:-$ROOT/Benchmarks/.data/nested}"
SCRATCH="${FLOE_BENCH_SCRATCH:-$ROOT/Benchmarks/.build}"
FILES=(list_struct:nested nested3:nested delta_int32:flat delta_int64:flat delta_length_byte_array:flat delta_byte_array:flat)
COMMAND="ROUNDS=$ROUNDS RUNS=$RUNS WARMUP=$WARMUP scripts/bench-nested.sh"

if [ -z "${PYTHON:-}" ]; then
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import pyarrow, numpy" 2>/dev/null; then
    scripts/install-deps.sh --python
  fi
  PYTHON="$ROOT/.venv/bin/python"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE="$(load)"

echo "== building floe-nested-bench (release)" >&2
swift build -c release --package-path Benchmarks --scratch-path "$SCRATCH" --product floe-nested-bench >&2
BIN="$(swift build -c release --package-path Benchmarks --scratch-path "$SCRATCH" --show-bin-path)/floe-nested-bench"

echo "== data in $DATA" >&2
mkdir -p "$DATA"
STAMP="$DATA/stamp"
HASH="$(sha256sum Benchmarks/python/make_nested_data.py | cut -c1-16) $("$PYTHON" -c 'import pyarrow, numpy; print(pyarrow.__version__, numpy.__version__)')"
need=0
for entry in "${FILES[@]}"; do [ -f "$DATA/${entry%%:*}.parquet" ] || need=1; done
[ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] || need=1
if [ "$need" = 1 ]; then
  "$PYTHON" Benchmarks/python/make_nested_data.py "$DATA" >&2
  echo "$HASH" > "$STAMP"
fi

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS" "$RESULTS.info"' EXIT
tag() { "$PYTHON" -c 'import json,sys; d=json.loads(sys.stdin.read()); d["name"]=sys.argv[1]; d["round"]=int(sys.argv[2]); d["tool"]=sys.argv[3] if len(sys.argv) > 3 else d["tool"]; print(json.dumps(d))' "$@"; }
run_floe() { "$BIN" "$1" --kind "$2" --runs "$RUNS" --warmup "$WARMUP"; }
# The same binary with glibc malloc told to keep freed memory (no trimming, large blocks from the
# heap up to 32 MiB), as pyarrow's memory pool keeps its memory between reads: shows how much of
# Floe's time is the kernel handing out fresh zeroed pages.
KEEP_MEMORY="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296"
run_floe_kept() { GLIBC_TUNABLES="$KEEP_MEMORY" "$BIN" "$1" --kind "$2" --runs "$RUNS" --warmup "$WARMUP"; }
run_arrow() { "$PYTHON" Benchmarks/python/nested_read_bench.py "$1" --kind "$2" --runs "$RUNS" --warmup "$WARMUP"; }

for entry in "${FILES[@]}"; do
  name="${entry%%:*}"; kind="${entry##*:}"
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  f="$DATA/$name.parquet"
  for r in $(seq 1 "$ROUNDS"); do
    echo "== $name round $r/$ROUNDS" >&2
    if [ $((r % 2)) = 1 ]; then
      run_floe "$f" "$kind" | tag "$name" "$r" >> "$RESULTS"
      run_arrow "$f" "$kind" | tag "$name" "$r" >> "$RESULTS"
      run_floe_kept "$f" "$kind" | tag "$name" "$r" floe-kept >> "$RESULTS"
    else
      run_floe_kept "$f" "$kind" | tag "$name" "$r" floe-kept >> "$RESULTS"
      run_arrow "$f" "$kind" | tag "$name" "$r" >> "$RESULTS"
      run_floe "$f" "$kind" | tag "$name" "$r" >> "$RESULTS"
    fi
  done
done

LOAD_AFTER="$(load)"
DATE="$(date -u +%F)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo "${FLOE_COMMIT:-unknown}")"
if git rev-parse HEAD >/dev/null 2>&1 && [ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
  COMMIT="$COMMIT (with uncommitted changes in Sources)"
fi
"$PYTHON" - "$RESULTS.info" <<PY
import json, platform, sys
import numpy, pyarrow
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
    "numpy": numpy.__version__,
    "floe_commit": """$COMMIT""",
    "rounds": $ROUNDS, "runs": $RUNS, "warmup": $WARMUP,
    "command": """$COMMAND""",
    "keep_memory_tunables": "$KEEP_MEMORY",
    "data_description": "Written by pyarrow " + pyarrow.__version__ + " (Benchmarks/python/make_nested_data.py, "
        "numpy PCG64 seed 20261128), all uncompressed, data page v1, 1 MiB pages, row groups of 1Mi rows. "
        "list_struct: items list<struct<id: string, price: double, qty: int64>>, 1M rows, lists of 0-5 elements, "
        "~5% null lists, ~5% null structs, ~3% null prices, ids from a pool of 100k strings; dictionary encoding "
        "on (pyarrow's default). nested3: list<list<list<int64>>>, 1M rows, 0-3 / 0-3 / 0-4 elements per level, "
        "~5% nulls at each list level and among the int64 values; dictionary on. Delta files: one required column, "
        "use_dictionary=False, column_encoding set: delta_int32 a random walk (steps in [-1000, 1000]), "
        "delta_int64 increasing microsecond timestamps (gaps in [0, 1e6)), both DELTA_BINARY_PACKED, 10M values; "
        "delta_length_byte_array random lowercase strings of 4-32 bytes, delta_byte_array sorted URL-like keys "
        "sharing long prefixes, 2M strings each.",
}
json.dump(info, open(sys.argv[1], "w"))
PY

mkdir -p reports
"$PYTHON" Benchmarks/python/nested_report.py "$RESULTS" "$RESULTS.info" \
  "reports/$DATE-nested-delta-benchmark.md" "reports/$DATE-nested-delta-benchmark.json"
echo "wrote reports/$DATE-nested-delta-benchmark.md and .json" >&2
