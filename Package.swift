// swift-tools-version: 6.0
// Floe: a Parquet engine and JSON-lines converter in Swift.
//
// Modules follow the layers of DESIGN.md, bottom up; a module imports only the layers below it.
import PackageDescription

let package = Package(
    name: "Floe",
    products: [
        .library(name: "Floe", targets: ["Floe"]),
        .executable(name: "floe", targets: ["FloeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Layer 1 — codecs: system libraries.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // glibc's allocator tuning (mallopt), used by the command line only.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlienc", providers: [.apt(["libbrotli-dev"])]),

        // Shared vocabulary: errors with locations, byte buffers.
        .target(name: "FloeCore"),
        // Layer 1 — compression codecs.
        .target(name: "FloeCodecs", dependencies: ["FloeCore", "CZlib", "CZstd", "CSnappy", "CLZ4", "CBrotli"]),
        // Layer 2 — Thrift compact protocol.
        .target(name: "FloeThrift", dependencies: ["FloeCore"]),
        // Layer 3 — the Parquet format model (FileMetaData, PageHeader, ...).
        .target(name: "FloeFormat", dependencies: ["FloeCore", "FloeThrift"]),
        // Layer 4 — encodings (PLAIN, RLE/bit-packed, dictionary, delta, byte-stream-split).
        .target(name: "FloeEncodings", dependencies: ["FloeCore"]),
        // Layer 5 — schema tree, column descriptors and in-memory column buffers.
        .target(name: "FloeColumns", dependencies: ["FloeCore", "FloeFormat", "FloeEncodings"]),
        // Layer 6 — Parquet files: writer and reader.
        .target(name: "FloeParquet", dependencies: ["FloeCore", "FloeCodecs", "FloeThrift", "FloeFormat", "FloeEncodings", "FloeColumns"]),
        // Layer 7 — JSON lines: the canonical JSON writer (and the scanner).
        .target(name: "FloeJSON", dependencies: ["FloeCore", "FloeFormat", "FloeEncodings", "FloeColumns"]),
        // JSON lines → Parquet: the bulk converter (partitions, file sizes, rejects).
        .target(name: "FloeConvert", dependencies: ["FloeCore", "FloeCodecs", "FloeColumns", "FloeParquet", "FloeJSON"]),
        // Layer 8 — scan: the SQL subset over Parquet and JSON lines, with pushdown.
        .target(name: "FloeScan", dependencies: ["FloeCore", "FloeCodecs", "FloeColumns", "FloeParquet", "FloeJSON"]),
        // The library API: re-exports the layers.
        .target(name: "Floe", dependencies: ["FloeCore", "FloeCodecs", "FloeThrift", "FloeFormat", "FloeEncodings", "FloeColumns", "FloeParquet", "FloeJSON", "FloeConvert", "FloeScan"]),
        // The scan benchmark harness (`floe bench`): runner, report, SVG charts.
        .target(name: "FloeBench", dependencies: ["FloeCore", "FloeCodecs", "FloeParquet", "FloeJSON", "FloeConvert", "FloeScan"]),
        // Layer 9 — the `floe` command line.
        .executableTarget(name: "FloeCLI", dependencies: [
            "Floe", "FloeBench", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "FloeCoreTests", dependencies: ["FloeCore"]),
        .testTarget(name: "FloeCodecsTests", dependencies: ["FloeCodecs"]),
        .testTarget(name: "FloeThriftTests", dependencies: ["FloeThrift"]),
        .testTarget(name: "FloeFormatTests", dependencies: ["FloeFormat"]),
        .testTarget(name: "FloeEncodingsTests", dependencies: ["FloeEncodings"]),
        .testTarget(name: "FloeColumnsTests", dependencies: ["FloeColumns"]),
        .testTarget(name: "FloeParquetTests", dependencies: ["FloeParquet", "FloeColumns", "FloeFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "FloeJSONTests", dependencies: ["FloeJSON", "FloeParquet"]),
        .testTarget(name: "FloeConvertTests", dependencies: ["FloeConvert", "FloeParquet", "FloeJSON"]),
        .testTarget(name: "FloeScanTests", dependencies: ["FloeScan", "FloeConvert", "FloeParquet", "FloeJSON", "FloeColumns"]),
        .testTarget(name: "FloeBenchTests", dependencies: ["FloeBench", "FloeJSON", "FloeScan"]),
    ]
)
