#!/usr/bin/env bash
# Floe's main job on the bundled dataset: converts Datasets/events-10k.jsonl.gz (10,000
# Segment-style events) to Parquet with a release build, then shows what was written.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product floe
floe=.build/release/floe
out=${1:-out/events.parquet}
mkdir -p "$(dirname "$out")"
"$floe" convert Datasets/events-10k.jsonl.gz -o "$out" --codec zstd
"$floe" inspect "$out" | head -n 12
"$floe" cat "$out" --limit 2
