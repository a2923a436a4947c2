import FloeCore
import Testing
@testable import FloeCodecs

/// Compressors share pooled zstd contexts and deflate streams across threads: the output of
/// each page is the same as with one compressor alone, whatever ran beside it.
@Suite struct ContextPoolTests {
    @Test(arguments: [(CompressionKind.zstd, 1), (.zstd, 9), (.gzip, 1), (.gzip, 6)])
    func compressorsOnManyThreadsGiveTheSameBytes(kind: CompressionKind, level: Int) throws {
        let inputs = (0..<48).map { TestData.columnLike(20_000 + 997 * $0, seed: UInt64($0)) }
        var alone = try Compressor(kind: kind, level: level)
        let expected = try inputs.map { try alone.compress($0) }
        // Two levels at once on four threads: contexts of one level never serve the other.
        let outcomes = Parallel.map(count: inputs.count * 2, workers: 4) { (i: Int) throws(FloeError) -> [UInt8] in
            var compressor = try Compressor(kind: kind, level: i % 2 == 0 ? level : 3)
            return try compressor.compress(inputs[i / 2])
        }
        var decompressor = Decompressor()
        for (i, outcome) in outcomes.enumerated() {
            let bytes = try outcome.get()
            if i % 2 == 0 { #expect(bytes == expected[i / 2], "page \(i / 2)") }
            #expect(try decompressor.decompress(kind, bytes, uncompressedSize: inputs[i / 2].count) == inputs[i / 2])
        }
    }

    @Test func idleContextsAreKeptUpToTheLimit() throws {
        let made = Counter(), freed = Counter()
        let pool = ContextPool(keep: 2, make: { (_: Int) throws(FloeError) -> ContextPool.Resource in
            made.add()
            return ContextPool.Resource(pointer: UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8))
        }, free: { freed.add(); $0.pointer.deallocate() })
        // Nested use takes three contexts at once; two stay idle afterwards.
        try pool.with(level: 1) { (a) throws(FloeError) in
            try pool.with(level: 1) { (b) throws(FloeError) in
                try pool.with(level: 1) { (c) throws(FloeError) in
                    #expect(a.pointer != b.pointer && b.pointer != c.pointer)
                }
            }
        }
        #expect(made.value == 3 && freed.value == 1)
        try pool.with(level: 1) { (_) throws(FloeError) in }
        try pool.with(level: 2) { (_) throws(FloeError) in }
        #expect(made.value == 4 && freed.value == 1)
    }
}

/// A count shared with `@Sendable` closures.
private final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
