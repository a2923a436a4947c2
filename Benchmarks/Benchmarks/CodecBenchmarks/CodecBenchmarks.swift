// Page compression and decompression through FloeCodecs' Compressor and Decompressor (the C
// libraries: zlib for gzip, zstd, snappy, lz4 for LZ4 and LZ4_RAW, brotli).
//
// Every benchmark compresses or decompresses BenchData.decompressedBytes = 1,000,000
// uncompressed bytes per measured iteration, as 8 pages of 125,000 bytes, with the `.mega`
// scaling factor: the scaled throughput the harness prints is uncompressed bytes per second
// (M = MB/s). Compression uses each codec's default level (zstd 3, gzip 6, brotli 1) and
// appends the 8 pages to one reused output array.
//
// "into buffer" decompresses into one reused buffer (the codec alone); "new array" uses
// `decompress(_:_:uncompressedSize:)`, which allocates the output per page, as the column
// reader does today.
import Benchmark
import BenchSupport
import Floe

/// Scratch state a benchmark closure mutates across iterations.
final class Scratch<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// `x` with one decimal.
func oneDecimal(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    for kind in [CompressionKind.snappy, .zstd, .gzip, .lz4, .lz4Raw, .brotli] {
        for content in BenchData.PageContent.allCases {
            let pages: [[UInt8]]
            let compressor: Scratch<Compressor>
            do {
                pages = try BenchData.compressedPages(content, kind)
                compressor = Scratch(try Compressor(kind: kind))
            } catch { fatalError("\(error)") }
            let compressed = pages.reduce(0) { $0 + $1.count }
            let ratio = Double(BenchData.decompressedBytes) / Double(compressed)
            let label = "\(kind.name.lowercased()) \(content.rawValue) (ratio \(oneDecimal(ratio)))"
            let decompressor = Scratch(Decompressor())
            let output = Scratch([UInt8](repeating: 0, count: BenchData.compressedPageBytes))

            let compressedOut = Scratch([UInt8]())
            let input = BenchData.uncompressedPages(content)
            Benchmark("Compress \(label)") { benchmark in
                precondition(benchmark.scaledIterations.upperBound == BenchData.decompressedBytes)
                compressedOut.value.removeAll(keepingCapacity: true)
                for page in input {
                    try page.withBytes { (src) throws(FloeError) in
                        try compressor.value.compress(src, appendingTo: &compressedOut.value)
                    }
                }
                blackHole(compressedOut.value.count)
            }

            Benchmark("Decompress \(label) into buffer") { benchmark in
                precondition(benchmark.scaledIterations.upperBound == BenchData.decompressedBytes)
                try output.value.withMutableBuffer { (out) throws(FloeError) in
                    for page in pages {
                        try page.withBytes { (src) throws(FloeError) in
                            try decompressor.value.decompress(kind, src, into: UnsafeMutableRawBufferPointer(out))
                        }
                    }
                }
                blackHole(output.value[0])
            }

            Benchmark("Decompress \(label) new array") { benchmark in
                precondition(benchmark.scaledIterations.upperBound == BenchData.decompressedBytes)
                for page in pages {
                    let out = try decompressor.value.decompress(kind, page, uncompressedSize: BenchData.compressedPageBytes)
                    blackHole(out)
                }
            }
        }
    }
}
