import Testing
import FloeCore
@testable import FloeEncodings

@Suite struct PlainTests {
    @Test func int32ByteExact() throws {
        let values: [Int32] = [1, -1, .max, .min]
        var w = ByteWriter()
        values.withUnsafeBufferPointer { Plain.encodeInt32($0, into: &w) }
        #expect(w.bytes == [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0x80])
        var out: [Int32] = [42]
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeInt32(src, count: 4, appendingTo: &out) }
        #expect(used == 16)
        #expect(out == [42] + values)
    }

    @Test(arguments: BitPackingTests.counts)
    func numericRoundTrips(count: Int) throws {
        var rng = SeededRandom(seed: UInt64(count))
        let i64 = (0..<count).map { _ in Int64(bitPattern: rng.next()) }
        let i32 = i64.map { Int32(truncatingIfNeeded: $0) }
        var f32 = i64.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        var f64 = i64.map { Double(bitPattern: UInt64(bitPattern: $0)) }
        if count > 0 { f32[0] = -0.0; f64[0] = .nan }

        var w = ByteWriter()
        i64.withUnsafeBufferPointer { Plain.encodeInt64($0, into: &w) }
        #expect(w.count == 8 * count)
        var o64: [Int64] = []
        #expect(try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeInt64(src, count: count, appendingTo: &o64) } == 8 * count)
        #expect(o64 == i64)

        w = ByteWriter()
        i32.withUnsafeBufferPointer { Plain.encodeInt32($0, into: &w) }
        var o32: [Int32] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeInt32(src, count: count, appendingTo: &o32) }
        #expect(o32 == i32)

        w = ByteWriter()
        f32.withUnsafeBufferPointer { Plain.encodeFloat($0, into: &w) }
        var of: [Float] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeFloat(src, count: count, appendingTo: &of) }
        #expect(of.map(\.bitPattern) == f32.map(\.bitPattern))

        w = ByteWriter()
        f64.withUnsafeBufferPointer { Plain.encodeDouble($0, into: &w) }
        var od: [Double] = []
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeDouble(src, count: count, appendingTo: &od) }
        #expect(od.map(\.bitPattern) == f64.map(\.bitPattern))
    }

    @Test func shortNumericInputThrowsAndLeavesOutput() {
        var out: [Int64] = [7]
        let e = floeError { () throws(FloeError) in
            _ = try [UInt8](repeating: 0, count: 23).withExactBytes { src throws(FloeError) in
                try Plain.decodeInt64(src, count: 3, appendingTo: &out)
            }
        }
        #expect(e?.code == .corrupt)
        #expect(e?.location.offset == 23)
        #expect(out == [7])
        // An absurd count is rejected before anything is allocated.
        let e2 = floeError { () throws(FloeError) in
            _ = try [UInt8](repeating: 0, count: 8).withExactBytes { src throws(FloeError) in
                try Plain.decodeInt64(src, count: Int.max / 2, appendingTo: &out)
            }
        }
        #expect(e2?.code == .corrupt)
    }

    @Test func booleanBitsLSBFirst() throws {
        let values = [true, false, true, true, false, false, false, false, true]
        var w = ByteWriter()
        values.withUnsafeBufferPointer { Plain.encodeBoolean($0, into: &w) }
        #expect(w.bytes == [0b0000_1101, 0b0000_0001])
        var out: [Bool] = []
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeBoolean(src, count: 9, appendingTo: &out) }
        #expect(used == 2)
        #expect(out == values)
    }

    /// The multiply tricks that spread and gather bits are exact for every byte.
    @Test func bitSpreadingIsExact() {
        for b in 0...255 {
            let spread = Plain.spreadBits(UInt8(b))
            var expected: UInt64 = 0
            for k in 0..<8 where (b >> k) & 1 == 1 { expected |= 1 << UInt64(8 * k) }
            #expect(spread == expected)
            #expect(Plain.gatherBits(expected) == UInt8(b))
        }
    }

    @Test(arguments: BitPackingTests.counts)
    func booleanRoundTrip(count: Int) throws {
        var rng = SeededRandom(seed: UInt64(count) + 5)
        let values = (0..<count).map { _ in rng.next() & 1 == 1 }
        var w = ByteWriter()
        values.withUnsafeBufferPointer { Plain.encodeBoolean($0, into: &w) }
        #expect(w.count == (count + 7) / 8)
        var out: [Bool] = [true]
        _ = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeBoolean(src, count: count, appendingTo: &out) }
        #expect(out == [true] + values)
    }

    @Test func byteArrayByteExact() throws {
        let values = BinaryValues([Array("ab".utf8), [], Array("xyz".utf8)])
        var w = ByteWriter()
        Plain.encodeByteArray(values, range: 0..<3, into: &w)
        #expect(w.bytes == [2, 0, 0, 0, 0x61, 0x62, 0, 0, 0, 0, 3, 0, 0, 0, 0x78, 0x79, 0x7A])
        var out = BinaryValues([Array("first".utf8)])
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeByteArray(src, count: 3, appendingTo: &out) }
        #expect(used == 17)
        #expect(out == BinaryValues([Array("first".utf8), Array("ab".utf8), [], Array("xyz".utf8)]))
        // A sub-range.
        var w2 = ByteWriter()
        Plain.encodeByteArray(values, range: 1..<3, into: &w2)
        #expect(w2.bytes == Array(w.bytes[6...]))
    }

    @Test(arguments: BitPackingTests.counts)
    func byteArrayRoundTrip(count: Int) throws {
        var rng = SeededRandom(seed: UInt64(count) + 99)
        let values = BinaryValues((0..<count).map { _ in (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } })
        var w = ByteWriter()
        Plain.encodeByteArray(values, range: 0..<count, into: &w)
        // Trailing bytes after the values are not consumed.
        let bytes = w.bytes + [9, 9, 9]
        var out = BinaryValues()
        let used = try bytes.withExactBytes { src throws(FloeError) in try Plain.decodeByteArray(src, count: count, appendingTo: &out) }
        #expect(used == w.count)
        #expect(out == values)
        #expect(out.bytes.count == out.offsets.last)
    }

    @Test func byteArrayBadLengthsThrow() {
        var out = BinaryValues([[1, 2]])
        let before = out
        // Second value claims 100 bytes.
        let bytes: [UInt8] = [1, 0, 0, 0, 0x41, 100, 0, 0, 0, 0x42]
        let e = floeError { () throws(FloeError) in
            _ = try bytes.withExactBytes { src throws(FloeError) in try Plain.decodeByteArray(src, count: 2, appendingTo: &out) }
        }
        #expect(e?.code == .corrupt)
        #expect(e?.location.offset == 5)
        #expect(out == before)
        // A length prefix cut short.
        let e2 = floeError { () throws(FloeError) in
            _ = try [1, 0, 0, 0, 0x41, 0, 0, 0].withExactBytes { src throws(FloeError) in
                try Plain.decodeByteArray(src, count: 2, appendingTo: &out)
            }
        }
        #expect(e2?.code == .corrupt)
        #expect(out == before)
        // A length of 4 GB - 1.
        let e3 = floeError { () throws(FloeError) in
            _ = try [0xFF, 0xFF, 0xFF, 0xFF, 0].withExactBytes { src throws(FloeError) in
                try Plain.decodeByteArray(src, count: 1, appendingTo: &out)
            }
        }
        #expect(e3?.code == .corrupt)
        #expect(out == before)
    }

    @Test func fixedWidthRoundTrip() throws {
        let values = FixedWidthValues(width: 12, bytes: (0..<36).map { UInt8($0) })
        var w = ByteWriter()
        Plain.encodeFixed(values, range: 1..<3, into: &w)
        #expect(w.bytes == Array(12..<36).map { UInt8($0) })
        var out = FixedWidthValues(width: 12)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeFixed(width: 12, src, count: 2, appendingTo: &out) }
        #expect(used == 24)
        #expect(out.bytes == w.bytes)
        #expect(out.count == 2)
        let e = floeError { () throws(FloeError) in
            _ = try w.bytes.withExactBytes { src throws(FloeError) in try Plain.decodeFixed(width: 12, src, count: 3, appendingTo: &out) }
        }
        #expect(e?.code == .corrupt)
        #expect(out.count == 2)
    }
}
