#!/usr/bin/env bash
# Builds and runs Floe's libFuzzer targets (see Fuzz/README.md).
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]   build (if needed), seed, and fuzz TARGET
#   scripts/fuzz.sh build [TARGET...]                      (re)build the modules and targets
#   scripts/fuzz.sh seeds TARGET                            (re)generate TARGET's seed corpus
#   scripts/fuzz.sh list                                    the targets
#
# Everything goes under .build-fuzz/ (git-ignored): the instrumented modules, the target
# executables in .build-fuzz/fuzz/bin, seeds in .build-fuzz/fuzz/seeds/TARGET, the growing
# corpus in .build-fuzz/fuzz/corpus/TARGET and crash inputs in .build-fuzz/fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${FLOE_FUZZ_SCRATCH:-.build-fuzz}
OUT=$SCRATCH/fuzz
CORPUS=${PARQUET_TESTING:-../shared/parquet-testing}
MODULES="FloeCore FloeCodecs FloeThrift FloeFormat FloeEncodings FloeColumns FloeParquet FloeJSON Floe"
SYSTEM_LIBS="CZlib CZstd CSnappy CLZ4 CBrotli"

targets() { ls Fuzz/Targets | sed 's/\.swift$//'; }

build_modules() {
    # Coverage (for libFuzzer) and AddressSanitizer instrumentation in every library module.
    # One flag: with `-sanitize=fuzzer -sanitize=address` the last one wins (no coverage).
    swift build -c release --scratch-path "$SCRATCH" --target Floe -Xswiftc -sanitize=fuzzer,address
}

link_target() {
    local target=$1
    mkdir -p "$OUT/bin"
    local objects=()
    for m in $MODULES; do objects+=("$SCRATCH"/release/$m.build/*.o); done
    local maps=()
    for lib in $SYSTEM_LIBS; do maps+=(-Xcc "-fmodule-map-file=Sources/$lib/module.modulemap"); done
    swiftc -O -parse-as-library -sanitize=fuzzer,address \
        -I "$SCRATCH/release/Modules" "${maps[@]}" \
        Fuzz/Support/*.swift "Fuzz/Targets/$target.swift" "${objects[@]}" \
        -lz -lzstd -lsnappy -llz4 -lbrotlienc -lbrotlidec \
        -o "$OUT/bin/$target"
}

make_seeds() {
    local target=$1
    local dir="$OUT/seeds/$target"
    rm -rf "$dir" && mkdir -p "$dir"
    local list="$OUT/seed-files.txt"
    if [ -d "$CORPUS" ]; then
        find "$CORPUS/data" "$CORPUS/bad_data" -type f -name '*.parquet' | sort > "$list"
    else
        echo "note: $CORPUS not found; seeds come from writer-made files only" >&2
        : > "$list"
    fi
    SWIFT_BACKTRACE=enable=no FLOE_FUZZ_SEED_DIR="$dir" FLOE_FUZZ_SEED_LIST="$list" "$OUT/bin/$target"
}

case "${1:-}" in
    list)
        targets ;;
    build)
        shift
        build_modules
        for t in ${@:-$(targets)}; do link_target "$t"; done ;;
    seeds)
        make_seeds "$2" ;;
    ""|-h|--help)
        sed -n '2,13p' "$0"; exit 2 ;;
    *)
        target=$1; seconds=${2:?give the number of seconds to fuzz}; shift 2
        [ -f "Fuzz/Targets/$target.swift" ] || { echo "no target '$target' (scripts/fuzz.sh list)" >&2; exit 2; }
        if [ ! -x "$OUT/bin/$target" ] || [ -n "$(find Sources Fuzz -newer "$OUT/bin/$target" -name '*.swift' | head -1)" ]; then
            build_modules
            link_target "$target"
        fi
        [ -d "$OUT/seeds/$target" ] || make_seeds "$target"
        mkdir -p "$OUT/corpus/$target" "$OUT/artifacts/$target"
        # Leak detection is off: the Swift runtime's metadata caches live until exit. Swift's own
        # crash backtracer is off so that libFuzzer's handler saves the crashing input.
        export SWIFT_BACKTRACE=enable=no
        exec "$OUT/bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target/" \
            "$@" "$OUT/corpus/$target" "$OUT/seeds/$target" ;;
esac
