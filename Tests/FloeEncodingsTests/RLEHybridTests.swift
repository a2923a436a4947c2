import Testing
import FloeCore
@testable import FloeEncodings

/// Decodes with RLEHybrid.decode from an exact-size buffer.
func rleDecode(_ bytes: [UInt8], width: Int, count: Int) throws(FloeError) -> (values: [UInt32], used: Int) {
    var out = [UInt32](repeating: 0xDEAD_BEEF, count: count)
    let used = try bytes.withExactBytes { src throws(FloeError) in
        try out.withPointer { p throws(FloeError) in try RLEHybrid.decode(src, bitWidth: width, count: count, into: p) }
    }
    return (out, used)
}

func rleDecodeLevels(_ bytes: [UInt8], width: Int, count: Int) throws(FloeError) -> (values: [UInt8], used: Int) {
    var out = [UInt8](repeating: 0xEE, count: count)
    let used = try bytes.withExactBytes { src throws(FloeError) in
        try out.withPointer { p throws(FloeError) in try RLEHybrid.decodeLevels(src, bitWidth: width, count: count, into: p) }
    }
    return (out, used)
}

func rleEncode(_ values: [UInt32], width: Int) -> [UInt8] {
    var w = ByteWriter()
    values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: width, into: &w) }
    return w.bytes
}

/// A test-side writer of explicit runs, independent of the library's encoder.
struct RunBuilder {
    var bytes: [UInt8] = []
    var values: [UInt32] = []
    let width: Int
    /// The byte count up to the end of the last run with values (the decoder stops there).
    var usefulBytes = 0

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func rle(_ value: UInt32, count: Int) {
        varint(UInt64(count) << 1)
        for k in 0..<((width + 7) / 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * k))) }
        values.append(contentsOf: repeatElement(value, count: count))
        if count > 0 { usefulBytes = bytes.count }
    }
    mutating func packed(_ vs: [UInt32]) {
        precondition(vs.count % 8 == 0)
        varint(UInt64(vs.count / 8) << 1 | 1)
        bytes.append(contentsOf: referencePackLSB(vs.map { UInt64($0) }, width: width))
        values.append(contentsOf: vs)
        if !vs.isEmpty { usefulBytes = bytes.count }
    }
}

@Suite struct RLEHybridTests {
    @Test func bitWidthForMax() {
        #expect(RLEHybrid.bitWidth(forMax: 0) == 0)
        #expect(RLEHybrid.bitWidth(forMax: 1) == 1)
        #expect(RLEHybrid.bitWidth(forMax: 2) == 2)
        #expect(RLEHybrid.bitWidth(forMax: 3) == 2)
        #expect(RLEHybrid.bitWidth(forMax: 4) == 3)
        #expect(RLEHybrid.bitWidth(forMax: 255) == 8)
        #expect(RLEHybrid.bitWidth(forMax: 256) == 9)
        #expect(RLEHybrid.bitWidth(forMax: UInt64(UInt32.max)) == 32)
        #expect(RLEHybrid.bitWidth(forMax: .max) == 64)
    }

    /// Hand-made bytes: an RLE run of eight 5s, then the spec's bit-packed 0...7 at width 3.
    @Test func handMadeRuns() throws {
        let bytes: [UInt8] = [0x10, 0x05, 0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        let (values, used) = try rleDecode(bytes, width: 3, count: 16)
        #expect(values == [5, 5, 5, 5, 5, 5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7])
        #expect(used == 6)
        // Stopping inside the RLE run consumes the whole run header and value.
        let (first, used2) = try rleDecode(bytes, width: 3, count: 3)
        #expect(first == [5, 5, 5])
        #expect(used2 == 2)
    }

    /// RLE values take ⌈w/8⌉ bytes little endian: width 9 uses two.
    @Test func rleValueWidth() throws {
        let (values, used) = try rleDecode([0x06, 0x2C, 0x01], width: 9, count: 3)
        #expect(values == [300, 300, 300])
        #expect(used == 3)
        let (v32, used32) = try rleDecode([0x04, 0x78, 0x56, 0x34, 0x12], width: 32, count: 2)
        #expect(v32 == [0x1234_5678, 0x1234_5678])
        #expect(used32 == 5)
    }

    /// The final bit-packed run may declare more groups than the bytes present.
    @Test func finalRunDeclaringMoreGroupsThanPresent() throws {
        // 4 groups declared at width 3 (12 bytes), only one group's 3 bytes present.
        let bytes: [UInt8] = [0x09, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        let (values, used) = try rleDecode(bytes, width: 3, count: 8)
        #expect(values == [0, 1, 2, 3, 4, 5, 6, 7])
        #expect(used == 4)
        let (five, _) = try rleDecode(bytes, width: 3, count: 5)
        #expect(five == [0, 1, 2, 3, 4])
        // A ninth value is not there.
        let e = floeError { () throws(FloeError) in _ = try rleDecode(bytes, width: 3, count: 9) }
        #expect(e?.code == .corrupt)
        #expect(e?.location.offset == 4)
    }

    @Test func dataEndingEarlyThrowsWithOffset() {
        // An RLE run of 4 then nothing, but 6 values asked for.
        let e = floeError { () throws(FloeError) in _ = try rleDecode([0x08, 0x01], width: 1, count: 6) }
        #expect(e?.code == .corrupt)
        #expect(e?.location.offset == 2)
        // An RLE run whose value bytes are missing.
        let e2 = floeError { () throws(FloeError) in _ = try rleDecode([0x08, 0x01], width: 9, count: 4) }
        #expect(e2?.code == .corrupt)
        // A truncated header varint.
        let e3 = floeError { () throws(FloeError) in _ = try rleDecode([0x80], width: 1, count: 4) }
        #expect(e3?.code == .corrupt)
        #expect(e3?.location.offset == 0)
        // Empty input.
        let e4 = floeError { () throws(FloeError) in _ = try rleDecode([], width: 1, count: 1) }
        #expect(e4?.code == .corrupt)
    }

    /// RLE run values above the width's maximum pass through (the caller range-checks).
    @Test func oversizedRLEValuePassesThrough() throws {
        let (values, _) = try rleDecode([0x04, 0xFF], width: 2, count: 2)
        #expect(values == [255, 255])
    }

    @Test func widthZeroMeansZeros() throws {
        // No runs at all.
        let (a, usedA) = try rleDecode([], width: 0, count: 5)
        #expect(a == [0, 0, 0, 0, 0])
        #expect(usedA == 0)
        // An RLE run of 44 with no value bytes (as some writers produce).
        let (b, usedB) = try rleDecode([0x58], width: 0, count: 44)
        #expect(b == Array(repeating: 0, count: 44))
        #expect(usedB == 1)
        // A bit-packed run of 2649 groups taking no bytes (parquet-testing ARROW-GH-43605).
        let (c, usedC) = try rleDecode([0xB3, 0x29], width: 0, count: 21186)
        #expect(c == Array(repeating: 0, count: 21186))
        #expect(usedC == 2)
    }

    /// Streams of explicit runs of random kinds and lengths decode to their values.
    @Test(arguments: [1, 2, 3, 7, 8, 9, 16, 17, 31, 32])
    func explicitRunStreams(width: Int) throws {
        var rng = SeededRandom(seed: UInt64(width))
        for _ in 0..<50 {
            var b = RunBuilder(width: width)
            for _ in 0..<Int(rng.next() % 12 + 1) {
                if rng.next() % 2 == 0 {
                    b.rle(UInt32(truncatingIfNeeded: rng.next() & mask(width)), count: Int(rng.next() % 300))
                } else {
                    let groups = Int(rng.next() % 40)
                    b.packed((0..<(groups * 8)).map { _ in UInt32(truncatingIfNeeded: rng.next() & mask(width)) })
                }
            }
            let (values, used) = try rleDecode(b.bytes, width: width, count: b.values.count)
            #expect(values == b.values)
            #expect(used == b.usefulBytes)
        }
    }

    @Test(arguments: 0...32, BitPackingTests.counts)
    func roundTrip(width: Int, count: Int) throws {
        for shape in 0..<3 {
            var rng = SeededRandom(seed: UInt64(shape * 7919 + width * 101 + count))
            let values = randomValues(count: count, width: width, shape: shape, rng: &rng).map { UInt32(truncatingIfNeeded: $0) }
            let bytes = rleEncode(values, width: width)
            let (decoded, used) = try rleDecode(bytes, width: width, count: count)
            #expect(decoded == values)
            #expect(used == bytes.count)
            if count == 1000 && shape == 2 {
                // Constant data is one RLE run: header + value bytes.
                #expect(bytes.count <= 2 + (width + 7) / 8)
            }
            if count == 1000 && shape == 0 && width >= 4 {
                // Random data bit-packs: within a few bytes of the packed size.
                #expect(bytes.count <= (1000 * width + 7) / 8 + 8)
            }
        }
    }

    @Test(arguments: 0...8, BitPackingTests.counts)
    func levelsRoundTrip(width: Int, count: Int) throws {
        for shape in 0..<3 {
            var rng = SeededRandom(seed: UInt64(shape * 13 + width * 1009 + count))
            let values = randomValues(count: count, width: width, shape: shape, rng: &rng).map { UInt8(truncatingIfNeeded: $0) }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { RLEHybrid.encodeLevels($0, bitWidth: width, into: &w) }
            let (decoded, used) = try rleDecodeLevels(w.bytes, width: width, count: count)
            #expect(decoded == values)
            #expect(used == w.count)
            // The same stream decodes identically as 32-bit values.
            let (wide, _) = try rleDecode(w.bytes, width: width, count: count)
            #expect(wide == values.map { UInt32($0) })
        }
    }

    /// The encoder's run choices: 8+ repeats become RLE runs; literals stay multiples of 8.
    @Test func encoderRunLayout() throws {
        // 20 equal values: one RLE run.
        #expect(rleEncode(Array(repeating: 3, count: 20), width: 2) == [40, 3])
        // 3 distinct then 13 sevens: the literal borrows 5 sevens to fill its group, the other
        // 8 sevens form an RLE run.
        let values: [UInt32] = [1, 2, 3] + Array(repeating: 7, count: 13)
        let bytes = rleEncode(values, width: 3)
        let literal = referencePackLSB([1, 2, 3, 7, 7, 7, 7, 7], width: 3)
        #expect(bytes == [0x03] + literal + [16, 7])
        // 3 distinct then 10 sevens: borrowing would leave 5 < 8, so all is one literal.
        let short: [UInt32] = [1, 2, 3] + Array(repeating: 7, count: 10)
        let shortBytes = rleEncode(short, width: 3)
        #expect(shortBytes.first == 0x05)
        #expect(shortBytes.count == 1 + 2 * 3)
        #expect(try rleDecode(shortBytes, width: 3, count: 13).values == short)
        // Exactly 7 repeats stay in the literal; the tail group is zero-padded.
        let seven: [UInt32] = Array(repeating: 1, count: 7)
        #expect(rleEncode(seven, width: 1) == [0x03, 0x7F])
    }

    @Test func levelsWidthAbove8Rejected() {
        let e = floeError { () throws(FloeError) in _ = try rleDecodeLevels([0x02, 0x01], width: 9, count: 1) }
        #expect(e?.code == .invalidArgument)
    }
}
