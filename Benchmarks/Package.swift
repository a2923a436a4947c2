// swift-tools-version: 6.1
// Floe's benchmarks: a package of its own so that the main build and CI do not pay for the
// benchmark harness. Run with `swift package benchmark` from this directory (see README.md).
import PackageDescription

let package = Package(
    name: "FloeBenchmarks",
    dependencies: [
        .package(name: "Floe", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Deterministic test data shared by the benchmark targets.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Floe", package: "Floe")],
            path: "Sources/BenchSupport"
        ),
        // Reads a whole Parquet file N times and prints one JSON line (used by scripts/bench-read.sh).
        .executableTarget(
            name: "floe-read-bench",
            dependencies: [.product(name: "Floe", package: "Floe")],
            path: "Sources/floe-read-bench"
        ),
        // Times nested-column assembly and delta decoding on one file (used by scripts/bench-nested.sh).
        .executableTarget(
            name: "floe-nested-bench",
            dependencies: [.product(name: "Floe", package: "Floe")],
            path: "Sources/floe-nested-bench"
        ),
        // Micro-benchmarks (ordo-one/benchmark), discovered by the plugin under Benchmarks/.
        .executableTarget(
            name: "EncodingBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EncodingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ColumnReadBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ColumnReadBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EncoderBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EncoderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "JSONBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/JSONBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "AssemblyBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Floe", package: "Floe"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AssemblyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
