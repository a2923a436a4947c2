import FloeCore
import Testing
@testable import FloeCodecs

@Suite struct CompressionKindTests {
    @Test func idsMatchParquetThrift() {
        let ids = CompressionKind.allCases.map { "\($0.name)=\($0.rawValue)" }
        #expect(ids == ["UNCOMPRESSED=0", "SNAPPY=1", "GZIP=2", "LZO=3", "BROTLI=4", "LZ4=5", "ZSTD=6", "LZ4_RAW=7"])
        #expect(CompressionKind(rawValue: 8) == nil)
    }

    @Test func namesParseCaseInsensitively() {
        let expected: [(String, CompressionKind)] = [
            ("uncompressed", .uncompressed), ("NONE", .uncompressed), ("Snappy", .snappy), ("gzip", .gzip),
            ("BROTLI", .brotli), ("lz4", .lz4), ("LZ4_RAW", .lz4Raw), ("lz4raw", .lz4Raw), ("zStd", .zstd), ("lzo", .lzo),
        ]
        for (name, kind) in expected { #expect(CompressionKind(name: name) == kind, "\(name)") }
        for bad in ["", "zip", "lz4-raw", "deflate", "zstd "] { #expect(CompressionKind(name: bad) == nil, "\(bad)") }
        for kind in CompressionKind.allCases { #expect(CompressionKind(name: kind.name) == kind) }
        #expect("\(CompressionKind.lz4Raw)" == "LZ4_RAW")
    }

    @Test func expansionBounds() {
        #expect(CompressionKind.uncompressed.maximumDecompressedSize(compressedSize: 10) == 10)
        #expect(CompressionKind.lz4Raw.maximumDecompressedSize(compressedSize: 100) == 25_664)
        #expect(CompressionKind.zstd.maximumDecompressedSize(compressedSize: 100) == nil)
        #expect(CompressionKind.gzip.maximumDecompressedSize(compressedSize: Int.max) == Int.max)
    }

    @Test func levelsAreValidated() throws {
        for (kind, level) in [(CompressionKind.zstd, 23), (.gzip, 10), (.gzip, -1), (.brotli, 12), (.brotli, -1)] {
            #expect(thrownError { _ = try Compressor(kind: kind, level: level) }?.code == .invalidArgument, "\(kind) \(level)")
        }
        #expect(try Compressor(kind: .zstd).level == 1)
        #expect(try Compressor(kind: .zstd, level: -7).level == -7)
        #expect(try Compressor(kind: .zstd, level: 22).level == 22)
        #expect(try Compressor(kind: .gzip).level == 6)
        #expect(try Compressor(kind: .brotli).level == 1)
        #expect(try Compressor(kind: .snappy, level: 99).level == nil)
        #expect(try Compressor(kind: .lz4Raw, level: -3).kind == .lz4Raw)
    }

    @Test func levelsChangeTheOutput() throws {
        let input = TestData.columnLike(200_000, seed: 70)
        let fast = try compressed(.zstd, level: 1, input), strong = try compressed(.zstd, level: 19, input)
        #expect(strong.count < fast.count)
        let stored = try compressed(.gzip, level: 0, input), best = try compressed(.gzip, level: 9, input)
        #expect(stored.count > input.count && best.count < input.count / 2)
    }
}
