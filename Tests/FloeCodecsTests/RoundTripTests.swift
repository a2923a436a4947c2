import FloeCore
import Testing
@testable import FloeCodecs

@Suite struct RoundTripTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x5A]),
        ("random 64 KiB", TestData.random(65_536, seed: 1)),
        ("compressible 200 KiB", TestData.compressible(200_000)),
        ("column-like 1 MiB", TestData.columnLike(1 << 20, seed: 2)),
    ]

    @Test(arguments: CodecCase.all)
    func roundTrips(_ codec: CodecCase) throws {
        var compressor = try Compressor(kind: codec.kind, level: codec.level)
        var decompressor = Decompressor()
        for (name, input) in Self.inputs {
            // Appending keeps what the output already holds.
            var output: [UInt8] = [1, 2, 3]
            try input.withUnsafeBytes { try compressor.compress($0, appendingTo: &output) }
            #expect(Array(output.prefix(3)) == [1, 2, 3], "\(name)")
            let body = Array(output.dropFirst(3))
            #expect(!body.isEmpty || codec.kind == .uncompressed, "\(name)")

            let viaPointer = try decompressed(codec.kind, body, size: input.count, using: &decompressor)
            #expect(viaPointer == input, "\(name): pointer API")
            let viaArray = try decompressor.decompress(codec.kind, body, uncompressedSize: input.count)
            #expect(viaArray == input, "\(name): array API")

            // Compression really happens on compressible data.
            if name.hasPrefix("compressible"), codec.kind != .uncompressed, codec.level != 0 {
                #expect(body.count < input.count / 3, "\(name): \(body.count) bytes")
            }
        }
    }

    @Test(arguments: supportedKinds)
    func decompressingToWrongSizeThrows(_ kind: CompressionKind) throws {
        var decompressor = Decompressor()
        for input in [TestData.columnLike(10_000, seed: 3), [7], TestData.random(3000, seed: 4)] {
            let body = try compressed(kind, input)
            for size in [input.count - 1, input.count + 1, input.count * 2 + 10] where size > 0 {
                let error = thrownError { _ = try decompressed(kind, body, size: size, using: &decompressor) }
                #expect(error?.code == .corrupt, "size \(size) for \(input.count) bytes")
                let arrayError = thrownError { _ = try decompressor.decompress(kind, body, uncompressedSize: size) }
                #expect(arrayError?.code == .corrupt, "size \(size) for \(input.count) bytes")
            }
            // The right size still works on the same decompressor after the failures.
            #expect(try decompressed(kind, body, size: input.count, using: &decompressor) == input)
        }
    }

    @Test(arguments: CompressionKind.allCases)
    func zeroOutputIgnoresInput(_ kind: CompressionKind) throws {
        var decompressor = Decompressor()
        #expect(try decompressed(kind, [0xFF, 0x00, 0x13], size: 0, using: &decompressor) == [])
        #expect(try decompressor.decompress(kind, [], uncompressedSize: 0) == [])
    }

    @Test(arguments: supportedKinds)
    func emptyInputWithExpectedOutputIsCorrupt(_ kind: CompressionKind) {
        var decompressor = Decompressor()
        let error = thrownError { _ = try decompressed(kind, [], size: 10, using: &decompressor) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("empty") == true)
    }

    @Test func negativeAndUnreachableSizesAreRejectedBeforeAllocating() {
        var decompressor = Decompressor()
        #expect(thrownError { _ = try decompressor.decompress(.zstd, [1, 2, 3], uncompressedSize: -1) }?.code == .corrupt)
        // 16 bytes of LZ4 cannot expand to 1 GiB; the array is never allocated.
        let lz4 = thrownError { _ = try decompressor.decompress(.lz4Raw, [UInt8](repeating: 0, count: 16), uncompressedSize: 1 << 30) }
        #expect(lz4?.code == .corrupt)
        #expect(lz4?.message.contains("cannot decompress") == true)
        let snappy = thrownError { _ = try decompressor.decompress(.snappy, [10, 0], uncompressedSize: 1 << 40) }
        #expect(snappy?.code == .corrupt)
        let stored = thrownError { _ = try decompressor.decompress(.uncompressed, [1, 2], uncompressedSize: 3) }
        #expect(stored?.code == .corrupt)
    }

    @Test func uncompressedIsACopy() throws {
        let input = TestData.random(1000, seed: 5)
        #expect(try compressed(.uncompressed, input) == input)
        var decompressor = Decompressor()
        #expect(try decompressor.decompress(.uncompressed, input, uncompressedSize: 1000) == input)
    }

    @Test func copiesOfACompressorAndDecompressorWorkIndependently() throws {
        let a = TestData.columnLike(50_000, seed: 6)
        let b = TestData.compressible(40_000)
        var first = try Compressor(kind: .zstd, level: 5)
        var second = first
        let ca = try first.compress(a)
        let cb = try second.compress(b)
        #expect(try first.compress(a) == ca)
        var d1 = Decompressor()
        _ = try d1.decompress(.gzip, try compressed(.gzip, a), uncompressedSize: a.count)
        var d2 = d1
        #expect(try d2.decompress(.zstd, cb, uncompressedSize: b.count) == b)
        #expect(try d1.decompress(.zstd, ca, uncompressedSize: a.count) == a)
        #expect(try d2.decompress(.gzip, try compressed(.gzip, b), uncompressedSize: b.count) == b)
    }

    @Test func oneDecompressorServesEveryCodecInTurn() throws {
        var decompressor = Decompressor()
        let pages = (0..<6).map { TestData.columnLike(20_000 + $0 * 999, seed: UInt64(10 + $0)) }
        for round in 0..<3 {
            for kind in supportedKinds {
                let page = pages[(round + Int(kind.rawValue)) % pages.count]
                #expect(try decompressor.decompress(kind, try compressed(kind, page), uncompressedSize: page.count) == page)
            }
        }
    }
}
