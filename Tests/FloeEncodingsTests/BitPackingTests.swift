import Testing
import FloeCore
@testable import FloeEncodings

@Suite struct BitPackingTests {
    static let counts = [0, 1, 7, 8, 9, 1000]

    /// The spec's example: 0...7 with bit width 3, LSB first.
    @Test func specExampleLSB() throws {
        let values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7]
        var w = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: 3, into: &w) }
        #expect(w.bytes == [0b1000_1000, 0b1100_0110, 0b1111_1010])
        var out = [UInt32](repeating: 99, count: 8)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in
            try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: 3, count: 8, into: p) }
        }
        #expect(used == 3)
        #expect(out == values)
    }

    /// The spec's example for the deprecated BIT_PACKED encoding: MSB first.
    @Test func specExampleMSB() throws {
        let values: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7]
        var w = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.packMSBFirst($0, bitWidth: 3, into: &w) }
        #expect(w.bytes == [0b0000_0101, 0b0011_1001, 0b0111_0111])
        var out = [UInt8](repeating: 99, count: 8)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in
            try out.withPointer { p throws(FloeError) in try BitPacking.unpackMSBFirst(src, bitWidth: 3, count: 8, into: p) }
        }
        #expect(used == 3)
        #expect(out == values)
    }

    @Test(arguments: 0...32, counts)
    func roundTrip32(width: Int, count: Int) throws {
        for seed in 0..<3 {
            var rng = SeededRandom(seed: UInt64(seed * 1000 + width * 10 + count))
            let values64 = randomValues(count: count, width: width, shape: seed, rng: &rng)
            let values = values64.map { UInt32(truncatingIfNeeded: $0) }
            var w = ByteWriter()
            // Set bits above the width: the packer must ignore them.
            let dirty = values.map { width == 32 ? $0 : $0 | (UInt32.max << UInt32(width)) }
            dirty.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: width, into: &w) }
            #expect(w.bytes == referencePackLSB(values64, width: width))
            var out = [UInt32](repeating: 0xDEAD, count: count)
            let used = try w.bytes.withExactBytes { src throws(FloeError) in
                try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: width, count: count, into: p) }
            }
            #expect(used == w.count)
            #expect(out == values)
        }
    }

    @Test(arguments: 0...64, counts)
    func roundTrip64(width: Int, count: Int) throws {
        for seed in 0..<3 {
            var rng = SeededRandom(seed: UInt64(seed * 1000 + width * 10 + count + 7))
            let values = randomValues(count: count, width: width, shape: seed, rng: &rng)
            var w = ByteWriter()
            values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: width, into: &w) }
            #expect(w.bytes == referencePackLSB(values, width: width))
            // Unpack both from an exact buffer (tail path) and from a padded one (fast path).
            for padding in [0, 64] {
                let bytes = w.bytes + [UInt8](repeating: 0xFF, count: padding)
                var out = [UInt64](repeating: 0xDEAD, count: count)
                let used = try bytes.withExactBytes { src throws(FloeError) in
                    try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: width, count: count, into: p) }
                }
                #expect(used == w.count)
                #expect(out == values)
            }
        }
    }

    @Test(arguments: 0...8, counts)
    func roundTripMSB(width: Int, count: Int) throws {
        var rng = SeededRandom(seed: UInt64(width * 31 + count))
        let values64 = randomValues(count: count, width: width, shape: 0, rng: &rng)
        let values = values64.map { UInt8(truncatingIfNeeded: $0) }
        var w = ByteWriter()
        values.withUnsafeBufferPointer { BitPacking.packMSBFirst($0, bitWidth: width, into: &w) }
        #expect(w.bytes == referencePackMSB(values64, width: width))
        var out = [UInt8](repeating: 0xAA, count: count)
        let used = try w.bytes.withExactBytes { src throws(FloeError) in
            try out.withPointer { p throws(FloeError) in try BitPacking.unpackMSBFirst(src, bitWidth: width, count: count, into: p) }
        }
        #expect(used == w.count)
        #expect(out == values)
    }

    @Test(arguments: [1, 3, 8, 17, 32])
    func truncatedInputThrows(width: Int) {
        let count = 100
        let need = (count * width + 7) / 8
        let bytes = [UInt8](repeating: 0xA5, count: need - 1)
        var out = [UInt32](repeating: 0, count: count)
        let e = floeError { () throws(FloeError) in
            _ = try bytes.withExactBytes { src throws(FloeError) in
                try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: width, count: count, into: p) }
            }
        }
        #expect(e?.code == .corrupt)
        #expect(e?.location.offset == need - 1)
    }

    @Test func invalidWidthsThrow() {
        var out = [UInt32](repeating: 0, count: 8)
        let bytes = [UInt8](repeating: 0, count: 64)
        for width in [-1, 33] {
            let e = floeError { () throws(FloeError) in
                _ = try bytes.withExactBytes { src throws(FloeError) in
                    try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: width, count: 8, into: p) }
                }
            }
            #expect(e?.code == .invalidArgument)
        }
    }
}
