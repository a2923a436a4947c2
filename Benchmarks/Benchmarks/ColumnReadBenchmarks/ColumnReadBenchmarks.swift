// Whole-column reads through ParquetFile.readColumn: pread of the chunk, page headers,
// decompression, levels, values — everything a reader pays, from the page cache.
//
// The files (see BenchFiles) hold one row group of 1,000,000 rows; each benchmark reads one
// column chunk per measured iteration with the `.mega` scaling factor, so the scaled throughput
// the harness prints is rows per second (M = millions of rows/s).
import Benchmark
import BenchSupport
import Floe

/// A file path written once per process, on first use.
final class LazyFile: @unchecked Sendable {
    let codec: CompressionKind
    let dictionary: Bool
    private(set) var path: String?
    private(set) var file: ParquetFile?

    init(codec: CompressionKind, dictionary: Bool) {
        self.codec = codec
        self.dictionary = dictionary
    }

    func open() throws {
        if file != nil { return }
        let path = try BenchFiles.write(codec: codec, dictionary: dictionary)
        self.path = path
        file = try ParquetFile(path: path)
    }

    func close() {
        file = nil
        if let path { BenchFiles.remove(path) }
        path = nil
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 500
    )

    for codec in [CompressionKind.uncompressed, .snappy, .zstd] {
        let plain = LazyFile(codec: codec, dictionary: false)
        let dict = LazyFile(codec: codec, dictionary: true)
        let cases: [(String, LazyFile, Int)] = [
            ("int64 required PLAIN", plain, 0),
            ("string required dictionary", dict, 1),
            ("string required PLAIN", plain, 1),
            ("double optional PLAIN", plain, 2),
        ]
        for (label, lazy, column) in cases {
            Benchmark("Read column \(label) \(codec.name.lowercased())",
                      configuration: .init(setup: { try lazy.open() }, teardown: { lazy.close() })) { benchmark in
                precondition(benchmark.scaledIterations.upperBound == BenchData.valueCount)
                guard let file = lazy.file else { fatalError("the benchmark file was not written") }
                let data = try file.readColumn(rowGroup: 0, column: column)
                precondition(data.entryCount == BenchData.valueCount)
                blackHole(data)
            }
        }
    }
}
