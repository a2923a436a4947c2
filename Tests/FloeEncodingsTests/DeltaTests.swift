import Testing
import FloeCore
@testable import FloeEncodings

/// A test-side DELTA_BINARY_PACKED writer with any block geometry and chosen padding bytes,
/// independent of the library's encoder.
func referenceDelta(_ values: [Int64], blockSize: Int, miniblocks: Int, unusedWidth: UInt8 = 0, paddingByte: UInt8 = 0,
                    totalOverride: Int? = nil) -> [UInt8] {
    var w = ByteWriter()
    w.appendVarint(UInt64(blockSize))
    w.appendVarint(UInt64(miniblocks))
    w.appendVarint(UInt64(totalOverride ?? values.count))
    w.appendZigZag(values.first ?? 0)
    let perMiniblock = blockSize / miniblocks
    var i = 1
    while i < values.count {
        let n = min(blockSize, values.count - i)
        let deltas = (0..<n).map { values[i + $0] &- values[i + $0 - 1] }
        let minDelta = deltas.min()!
        let rel = deltas.map { UInt64(bitPattern: $0 &- minDelta) }
        w.appendZigZag(minDelta)
        let needed = (n + perMiniblock - 1) / perMiniblock
        var widths: [Int] = []
        for m in 0..<miniblocks {
            if m < needed {
                let slice = rel[(m * perMiniblock)..<min(n, (m + 1) * perMiniblock)]
                let width = 64 - slice.reduce(0, |).leadingZeroBitCount
                widths.append(width)
                w.append(UInt8(width))
            } else {
                w.append(unusedWidth)
            }
        }
        for m in 0..<needed {
            var slice = Array(rel[(m * perMiniblock)..<min(n, (m + 1) * perMiniblock)])
            let real = slice.count
            slice += Array(repeating: 0, count: perMiniblock - real)
            var packed = referencePackLSB(slice, width: widths[m])
            // Overwrite whole padding bytes with arbitrary bits (readers must ignore them).
            let firstPaddingByte = (real * widths[m] + 7) / 8
            if firstPaddingByte < packed.count { for k in firstPaddingByte..<packed.count { packed[k] = paddingByte } }
            w.append(contentsOf: packed)
        }
        i += n
    }
    return w.bytes
}

func deltaDecode64(_ bytes: [UInt8], count: Int) throws(FloeError) -> ([Int64], Int) {
    var out: [Int64] = []
    let used = try bytes.withExactBytes { src throws(FloeError) in try DeltaBinaryPacked.decodeInt64(src, count: count, appendingTo: &out) }
    return (out, used)
}

func deltaDecode32(_ bytes: [UInt8], count: Int) throws(FloeError) -> ([Int32], Int) {
    var out: [Int32] = []
    let used = try bytes.withExactBytes { src throws(FloeError) in try DeltaBinaryPacked.decodeInt32(src, count: count, appendingTo: &out) }
    return (out, used)
}

func deltaEncode64(_ values: [Int64]) -> [UInt8] {
    var w = ByteWriter()
    values.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt64($0, into: &w) }
    return w.bytes
}

func deltaEncode32(_ values: [Int32]) -> [UInt8] {
    var w = ByteWriter()
    values.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt32($0, into: &w) }
    return w.bytes
}

@Suite struct DeltaBinaryPackedTests {
    /// The spec's example 1 (1...5) with a valid block size of 128 and 4 miniblocks.
    @Test func specExample1() throws {
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, /* block */ 0x02, 0, 0, 0, 0]
        #expect(deltaEncode64([1, 2, 3, 4, 5]) == bytes)
        #expect(deltaEncode32([1, 2, 3, 4, 5]) == bytes)
        let (values, used) = try deltaDecode64(bytes, count: 5)
        #expect(values == [1, 2, 3, 4, 5])
        #expect(used == bytes.count)
    }

    /// The spec's example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2, relative deltas 0,0,0,3,3,3,3
    /// packed on 2 bits in a 32-value miniblock.
    @Test func specExample2() throws {
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, /* min delta */ 0x03, /* widths */ 2, 0, 0, 0,
                              0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        #expect(deltaEncode64([7, 5, 3, 1, 2, 3, 4, 5]) == bytes)
        let (values, used) = try deltaDecode32(bytes, count: 8)
        #expect(values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(used == bytes.count)
    }

    /// The spec's examples literally use a block size of 8, which is invalid in real files.
    @Test func blockSizeNotMultipleOf128Rejected() {
        let e = floeError { () throws(FloeError) in _ = try deltaDecode64([0x08, 0x01, 0x05, 0x02, 0x02, 0x00], count: 5) }
        #expect(e?.code == .corrupt)
        // Miniblocks of 16 values (128 / 8) are invalid too.
        let e2 = floeError { () throws(FloeError) in _ = try deltaDecode64([0x80, 0x01, 0x08, 0x01, 0x02], count: 1) }
        #expect(e2?.code == .corrupt)
        #expect(e2?.location.offset == 2)
    }

    @Test(arguments: [0, 1, 2, 7, 8, 9, 31, 32, 33, 127, 128, 129, 130, 256, 1000])
    func roundTripEdgeCounts(count: Int) throws {
        var rng = SeededRandom(seed: UInt64(count))
        let shapes: [[Int64]] = [
            (0..<count).map { _ in Int64(bitPattern: rng.next()) },                          // full 64-bit spread
            (0..<count).map { Int64($0) * 3 - 500 },                                           // constant delta
            (0..<count).map { $0 % 2 == 0 ? Int64.min : Int64.max },                           // overflowing deltas
            (0..<count).map { _ in Int64(rng.next() % 1000) },                                 // small values
            Array(repeating: 42, count: count),                                                // zero deltas
        ]
        for values in shapes {
            let bytes = deltaEncode64(values)
            let (decoded, used) = try deltaDecode64(bytes, count: count)
            #expect(decoded == values)
            #expect(used == bytes.count)
            let values32 = values.map { Int32(truncatingIfNeeded: $0) }
            let bytes32 = deltaEncode32(values32)
            let (decoded32, used32) = try deltaDecode32(bytes32, count: count)
            #expect(decoded32 == values32)
            #expect(used32 == bytes32.count)
        }
    }

    /// Bit width 64: a miniblock whose relative deltas span the whole 64-bit range.
    @Test func bitWidth64() throws {
        let values: [Int64] = [0, .max, .min, 0, -1, 1, .min, .max]
        let bytes = deltaEncode64(values)
        // Header (5 bytes) + min delta varint (10 bytes for a huge zigzag) + widths.
        #expect(bytes.contains(64))
        let (decoded, _) = try deltaDecode64(bytes, count: values.count)
        #expect(decoded == values)
        // The same stream is rejected as INT32 (width above 32).
        let e = floeError { () throws(FloeError) in _ = try deltaDecode32(bytes, count: values.count) }
        #expect(e?.code == .corrupt)
    }

    /// Other block geometries, arbitrary bits in padding and in the unused miniblocks' widths.
    @Test(arguments: [(128, 1), (128, 4), (256, 2), (256, 8), (512, 4), (1024, 32)])
    func referenceStreams(blockSize: Int, miniblocks: Int) throws {
        var rng = SeededRandom(seed: UInt64(blockSize * 100 + miniblocks))
        for count in [1, 2, 33, blockSize, blockSize + 1, 3 * blockSize + 17] {
            let values = (0..<count).map { _ in Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64) }
            let bytes = referenceDelta(values, blockSize: blockSize, miniblocks: miniblocks, unusedWidth: 0xEE, paddingByte: 0xA5)
            let (decoded, used) = try deltaDecode64(bytes, count: count)
            #expect(decoded == values)
            #expect(used == bytes.count)
        }
    }

    /// A header declaring more values than wanted: the rest is skipped and consumed.
    @Test func decodingFewerThanTheTotal() throws {
        let values = (0..<300).map { Int64($0 * $0) }
        let bytes = deltaEncode64(values) + [0xFF, 0xFF]
        let (decoded, used) = try deltaDecode64(bytes, count: 100)
        #expect(decoded == Array(values[0..<100]))
        #expect(used == bytes.count - 2)
        // Asking for more than the header declares is an error.
        let e = floeError { () throws(FloeError) in _ = try deltaDecode64(bytes, count: 301) }
        #expect(e?.code == .corrupt)
    }

    @Test func truncatedStreamsThrow() {
        let values = (0..<200).map { Int64($0) * 1_000_003 }
        let bytes = deltaEncode64(values)
        for cut in 0..<bytes.count {
            var out: [Int64] = [9]
            let e = floeError { () throws(FloeError) in
                _ = try Array(bytes[0..<cut]).withExactBytes { src throws(FloeError) in
                    try DeltaBinaryPacked.decodeInt64(src, count: 200, appendingTo: &out)
                }
            }
            #expect(e?.code == .corrupt)
            #expect(out == [9])
        }
    }

    @Test func emptyStreamForNoValues() throws {
        #expect(try deltaDecode64([], count: 0) == ([], 0))
        let bytes = deltaEncode64([])
        #expect(bytes == [0x80, 0x01, 0x04, 0x00, 0x00])
        #expect(try deltaDecode64(bytes, count: 0) == ([], 5))
    }
}

@Suite struct DeltaByteArrayTests {
    func strings(_ s: [String]) -> BinaryValues { BinaryValues(s.map { Array($0.utf8) }) }

    /// The spec's DELTA_LENGTH_BYTE_ARRAY example.
    @Test func deltaLengthSpecExample() throws {
        let values = strings(["Hello", "World", "Foobar", "ABCDEF"])
        var w = ByteWriter()
        DeltaLengthByteArray.encode(values, range: 0..<4, into: &w)
        #expect(w.bytes == deltaEncode32([5, 5, 6, 6]) + Array("HelloWorldFoobarABCDEF".utf8))
        var out = strings(["x"])
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try DeltaLengthByteArray.decode(src, count: 4, appendingTo: &out) }
        #expect(used == w.count)
        #expect(out == strings(["x", "Hello", "World", "Foobar", "ABCDEF"]))
    }

    /// The spec's DELTA_BYTE_ARRAY example.
    @Test func deltaByteArraySpecExample() throws {
        let values = strings(["axis", "axle", "babble", "babyhood"])
        var w = ByteWriter()
        DeltaByteArray.encode(values, range: 0..<4, into: &w)
        #expect(w.bytes == deltaEncode32([0, 2, 0, 3]) + deltaEncode32([4, 2, 6, 5]) + Array("axislebabbleyhood".utf8))
        var out = BinaryValues()
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try DeltaByteArray.decode(src, count: 4, appendingTo: &out) }
        #expect(used == w.count)
        #expect(out == values)
    }

    @Test(arguments: [0, 1, 2, 127, 128, 129, 1000])
    func roundTrips(count: Int) throws {
        var rng = SeededRandom(seed: UInt64(count) + 77)
        // Sorted-ish strings with shared prefixes, plus empty ones.
        var list: [[UInt8]] = []
        for i in 0..<count {
            if rng.next() % 10 == 0 { list.append([]); continue }
            let stem = Array("user/\(i / 7)/".utf8)
            list.append(stem + (0..<Int(rng.next() % 30)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        let values = BinaryValues(list)
        for range in [0..<count, (count / 3)..<count] {
            let expected = BinaryValues(range.map { list[$0] })
            var w = ByteWriter()
            DeltaLengthByteArray.encode(values, range: range, into: &w)
            var out = BinaryValues()
            let used = try w.bytes.withExactBytes { src throws(FloeError) in try DeltaLengthByteArray.decode(src, count: range.count, appendingTo: &out) }
            #expect(out == expected)
            #expect(used == w.count)

            var w2 = ByteWriter()
            DeltaByteArray.encode(values, range: range, into: &w2)
            var out2 = strings(["keep"])
            let used2 = try w2.bytes.withExactBytes { src throws(FloeError) in try DeltaByteArray.decode(src, count: range.count, appendingTo: &out2) }
            #expect(out2 == BinaryValues([Array("keep".utf8)] + range.map { list[$0] }))
            #expect(used2 == w2.count)
        }
    }

    @Test func fixedWidthRoundTrip() throws {
        let values = FixedWidthValues(width: 4, bytes: Array("abcdabceabzzqqqq".utf8))
        var w = ByteWriter()
        DeltaByteArray.encodeFixed(values, range: 0..<4, into: &w)
        #expect(w.bytes == deltaEncode32([0, 3, 2, 0]) + deltaEncode32([4, 1, 2, 4]) + Array("abcdezzqqqq".utf8))
        var out = FixedWidthValues(width: 4)
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try DeltaByteArray.decodeFixed(src, count: 4, appendingTo: &out) }
        #expect(out == values)
        var wrong = FixedWidthValues(width: 5)
        let e = floeError { () throws(FloeError) in
            _ = try w.bytes.withExactBytes { src throws(FloeError) in try DeltaByteArray.decodeFixed(src, count: 4, appendingTo: &wrong) }
        }
        #expect(e?.code == .corrupt)
    }

    @Test func corruptLengthsThrow() {
        var out = strings(["keep"])
        func attempt(_ bytes: [UInt8], count: Int, front: Bool) -> FloeError? {
            floeError { () throws(FloeError) in
                _ = try bytes.withExactBytes { src throws(FloeError) in
                    front ? try DeltaByteArray.decode(src, count: count, appendingTo: &out)
                          : try DeltaLengthByteArray.decode(src, count: count, appendingTo: &out)
                }
            }
        }
        // Lengths 3, 3 but only 4 bytes of data.
        #expect(attempt(deltaEncode32([3, 3]) + [1, 2, 3, 4], count: 2, front: false)?.code == .corrupt)
        // A negative length.
        #expect(attempt(deltaEncode32([-1]) + [1, 2, 3], count: 1, front: false)?.code == .corrupt)
        // A prefix on the first value.
        #expect(attempt(deltaEncode32([1]) + deltaEncode32([1]) + [1], count: 1, front: true)?.code == .corrupt)
        // A prefix longer than the previous value.
        #expect(attempt(deltaEncode32([0, 3]) + deltaEncode32([2, 0]) + [1, 2], count: 2, front: true)?.code == .corrupt)
        // Suffix bytes missing.
        #expect(attempt(deltaEncode32([0, 1]) + deltaEncode32([2, 5]) + [1, 2], count: 2, front: true)?.code == .corrupt)
        #expect(out == strings(["keep"]))
    }

    /// Front coding can expand a tiny input enormously; the cap stops it before allocating.
    @Test func expansionIsCapped() {
        // 100 values: first 1000 bytes, then each repeats the whole previous value.
        let count = 100
        let bytes = deltaEncode32([0] + Array(repeating: 1000, count: count - 1))
            + deltaEncode32([1000] + Array(repeating: 0, count: count - 1)) + [UInt8](repeating: 7, count: 1000)
        var out = BinaryValues()
        let e = floeError { () throws(FloeError) in
            _ = try bytes.withExactBytes { src throws(FloeError) in
                try DeltaByteArray.decode(src, count: count, appendingTo: &out, maxBytes: 50_000)
            }
        }
        #expect(e?.code == .limitExceeded)
        #expect(out.count == 0)
        let ok = try? bytes.withExactBytes { src throws(FloeError) in
            try DeltaByteArray.decode(src, count: count, appendingTo: &out, maxBytes: 100_000)
        }
        #expect(ok == bytes.count)
        #expect(out.bytes.count == 100_000)
        #expect(Array(out[99]) == [UInt8](repeating: 7, count: 1000))
    }
}

@Suite struct ByteStreamSplitTests {
    /// The spec's example: three 4-byte values.
    @Test func specExample() throws {
        let values: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
        var w = ByteWriter()
        values.withUnsafeBytes { ByteStreamSplit.encode($0, width: 4, into: &w) }
        #expect(w.bytes == [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
        var out = [UInt8](repeating: 0, count: 12)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in
            try out.withPointer { p throws(FloeError) in try ByteStreamSplit.decode(src, width: 4, count: 3, into: UnsafeMutableRawPointer(p)) }
        }
        #expect(used == 12)
        #expect(out == values)
    }

    @Test(arguments: [1, 2, 3, 4, 8, 12, 16], BitPackingTests.counts)
    func roundTrip(width: Int, count: Int) throws {
        var rng = SeededRandom(seed: UInt64(width * 1000 + count))
        let raw = (0..<(width * count)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var w = ByteWriter()
        raw.withUnsafeBytes { ByteStreamSplit.encode($0, width: width, into: &w) }
        // Reference: stream k holds byte k of every value.
        var expected = [UInt8](repeating: 0, count: raw.count)
        for i in 0..<count { for k in 0..<width { expected[k * count + i] = raw[i * width + k] } }
        #expect(w.bytes == expected)
        var out = FixedWidthValues(width: width)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeFixed(src, count: count, appendingTo: &out) }
        #expect(used == w.count)
        #expect(out.bytes == raw)
    }

    @Test func typedRoundTrips() throws {
        let floats: [Float] = [1.5, -0.0, .nan, .infinity, 3e-40, 7, 8, 9, 10, 11]
        var w = ByteWriter()
        floats.withUnsafeBufferPointer { ByteStreamSplit.encodeFloat($0, into: &w) }
        var f: [Float] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeFloat(src, count: floats.count, appendingTo: &f) }
        #expect(f.map(\.bitPattern) == floats.map(\.bitPattern))

        let doubles: [Double] = (0..<37).map { Double($0) * -1.25 }
        w = ByteWriter()
        doubles.withUnsafeBufferPointer { ByteStreamSplit.encodeDouble($0, into: &w) }
        var d: [Double] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeDouble(src, count: doubles.count, appendingTo: &d) }
        #expect(d == doubles)

        let ints: [Int64] = (0..<20).map { Int64($0) << 40 | Int64($0) }
        w = ByteWriter()
        ints.withUnsafeBufferPointer { ByteStreamSplit.encodeInt64($0, into: &w) }
        var i64: [Int64] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeInt64(src, count: ints.count, appendingTo: &i64) }
        #expect(i64 == ints)

        let i32s: [Int32] = (0..<9).map { Int32($0) * -77777 }
        w = ByteWriter()
        i32s.withUnsafeBufferPointer { ByteStreamSplit.encodeInt32($0, into: &w) }
        var i32: [Int32] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeInt32(src, count: i32s.count, appendingTo: &i32) }
        #expect(i32 == i32s)
    }

    /// Fewer values than the page holds: the streams still have the page's length.
    @Test func decodingAPrefixOfThePage() throws {
        let values: [Int32] = Array(0..<16).map { Int32($0) * 1_000_001 }
        var w = ByteWriter()
        values.withUnsafeBufferPointer { ByteStreamSplit.encodeInt32($0, into: &w) }
        var out: [Int32] = []
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeInt32(src, count: 10, appendingTo: &out) }
        #expect(out == Array(values[0..<10]))
        #expect(used == w.count)
    }

    @Test func badSizesThrow() {
        var out: [Float] = [1]
        let e = floeError { () throws(FloeError) in
            _ = try [UInt8](repeating: 0, count: 10).withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeFloat(src, count: 2, appendingTo: &out) }
        }
        #expect(e?.code == .corrupt)
        let e2 = floeError { () throws(FloeError) in
            _ = try [UInt8](repeating: 0, count: 8).withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeFloat(src, count: 3, appendingTo: &out) }
        }
        #expect(e2?.code == .corrupt)
        #expect(out == [1])
    }
}
