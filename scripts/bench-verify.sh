#!/usr/bin/env bash
# `floe verify` throughput on a ~1 GB Parquet file, with and without --deep, next to pyarrow
# reading the whole file in the same run. The file: 1M generated events converted with the
# defaults (zstd, dictionary, page index, checksums), rewritten 14 times into one file.
# Environment: ROUNDS (default 3), FLOE_BENCH_DATA (default Benchmarks/.data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --python
swift build -c release --product floe
floe="$PWD/.build/release/floe"
ROUNDS="${ROUNDS:-3}"
data="${FLOE_BENCH_DATA:-Benchmarks/.data}"
mkdir -p "$data"
events="$data/events-1000000.jsonl"
[ -s "$events" ] || "$floe" gen --rows 1000000 --seed 1 -o "$events"
[ -s "$data/events-1m.parquet" ] || "$floe" convert "$events" -o "$data/events-1m.parquet"
big="$data/events-14m.parquet"
if [ ! -s "$big" ]; then
    inputs=()
    for _ in $(seq 14); do inputs+=("$data/events-1m.parquet"); done
    "$floe" rewrite "${inputs[@]}" -o "$big"
fi
ls -l "$big"
for round in $(seq "$ROUNDS"); do
    echo "round $round"
    /usr/bin/time -f "verify: %e s wall, %U s user, %S s sys, %M KB peak" "$floe" verify "$big" | tail -1
    /usr/bin/time -f "verify --deep: %e s wall, %U s user, %S s sys, %M KB peak" "$floe" verify --deep "$big" | tail -1
    /usr/bin/time -f "pyarrow read_table: %e s wall, %U s user, %S s sys, %M KB peak" \
        .venv/bin/python -c "import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1]).num_rows, 'rows')" "$big"
done
