import Testing
import FloeCore
@testable import FloeEncodings

/// Seeded fuzz loops: random and mutated buffers must decode or throw a FloeError, never crash,
/// and a successful decode never claims more bytes than it was given.
@Suite struct FuzzTests {
    /// Random bytes, or a valid encoding with a few bytes flipped, truncated or extended.
    static func input(_ rng: inout SeededRandom, valid: [UInt8]) -> [UInt8] {
        switch rng.next() % 4 {
        case 0:
            return (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        case 1:
            return Array(valid.prefix(Int(rng.next() % UInt64(valid.count + 1))))
        default:
            var b = valid
            for _ in 0..<Int(rng.next() % 4 + 1) where !b.isEmpty {
                b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 3 == 0 { b.append(contentsOf: (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
            return b
        }
    }

    static func check(_ used: Int, _ bytes: [UInt8]) {
        #expect(used >= 0 && used <= bytes.count)
    }

    @Test func rleHybrid() {
        var rng = SeededRandom(seed: 1)
        for iteration in 0..<6000 {
            let width = Int(rng.next() % 34) - (iteration % 50 == 0 ? 1 : 0)
            let count = Int(rng.next() % 300)
            let values = randomValues(count: count, width: max(0, min(width, 32)), shape: Int(rng.next() % 3), rng: &rng)
            var w = ByteWriter()
            if (0...32).contains(width) {
                values.map { UInt32(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: width, into: &w) }
            }
            let bytes = Self.input(&rng, valid: w.bytes)
            let asked = rng.next() % 4 == 0 ? Int(rng.next() % 100_000) : count
            var out = [UInt32](repeating: 0, count: asked)
            do {
                let used = try bytes.withExactBytes { src throws(FloeError) in
                    try out.withPointer { p throws(FloeError) in try RLEHybrid.decode(src, bitWidth: width, count: asked, into: p) }
                }
                Self.check(used, bytes)
            } catch {
                #expect(error.code == .corrupt || error.code == .invalidArgument)
            }
        }
    }

    @Test func levelsAndDictionaryIndices() {
        var rng = SeededRandom(seed: 2)
        for _ in 0..<6000 {
            let width = Int(rng.next() % 9)
            let count = Int(rng.next() % 300)
            let values = randomValues(count: count, width: width, shape: Int(rng.next() % 3), rng: &rng)
            var w = ByteWriter()
            values.map { UInt8(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { RLEHybrid.encodeLevels($0, bitWidth: width, into: &w) }
            let bytes = Self.input(&rng, valid: w.bytes)
            var out = [UInt8](repeating: 0, count: count)
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in
                try out.withPointer { p throws(FloeError) in try RLEHybrid.decodeLevels(src, bitWidth: width, count: count, into: p) }
            }) { Self.check(used, bytes) }
            // The same bytes as dictionary indices (first byte = width).
            var idx = [UInt32](repeating: 0, count: count)
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in
                try idx.withPointer { p throws(FloeError) in try DictionaryIndices.decode(src, count: count, into: p) }
            }) { Self.check(used, bytes) }
            // And as deprecated BIT_PACKED levels.
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in
                try out.withPointer { p throws(FloeError) in try BitPacking.unpackMSBFirst(src, bitWidth: width, count: count, into: p) }
            }) { Self.check(used, bytes) }
        }
    }

    @Test func bitUnpacking() {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<4000 {
            let width = Int(rng.next() % 65)
            let count = Int(rng.next() % 200)
            let bytes = (0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var out = [UInt64](repeating: 0, count: count)
            let used = try? bytes.withExactBytes { src throws(FloeError) in
                try out.withPointer { p throws(FloeError) in try BitPacking.unpack(src, bitWidth: width, count: count, into: p) }
            }
            let need = (count * width + 7) / 8
            #expect(used == (need <= bytes.count ? need : nil))
        }
    }

    @Test func plainAndBooleanRLE() {
        var rng = SeededRandom(seed: 4)
        for _ in 0..<5000 {
            let count = Int(rng.next() % 50)
            var valid = ByteWriter()
            let strings = BinaryValues((0..<count).map { _ in (0..<Int(rng.next() % 9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } })
            Plain.encodeByteArray(strings, range: 0..<count, into: &valid)
            let bytes = Self.input(&rng, valid: valid.bytes)
            let asked = rng.next() % 5 == 0 ? Int(rng.next() % 1_000_000) : count
            var bin = BinaryValues([[7]])
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in try Plain.decodeByteArray(src, count: asked, appendingTo: &bin) }) {
                Self.check(used, bytes)
                #expect(bin.count == 1 + asked)
            } else {
                #expect(bin == BinaryValues([[7]]))
            }
            #expect(bin.bytes.count == bin.offsets.last)
            var i64: [Int64] = []
            _ = try? bytes.withExactBytes { src throws(FloeError) in try Plain.decodeInt64(src, count: asked, appendingTo: &i64) }
            var bools: [Bool] = []
            _ = try? bytes.withExactBytes { src throws(FloeError) in try Plain.decodeBoolean(src, count: asked, appendingTo: &bools) }
            var fixed = FixedWidthValues(width: 3)
            _ = try? bytes.withExactBytes { src throws(FloeError) in try Plain.decodeFixed(width: 3, src, count: asked, appendingTo: &fixed) }

            var rle = ByteWriter()
            let flags = randomValues(count: count, width: 1, shape: Int(rng.next() % 3), rng: &rng).map { $0 == 1 }
            flags.withUnsafeBufferPointer { BooleanRLE.encode($0, into: &rle) }
            let rleBytes = Self.input(&rng, valid: rle.bytes)
            var decoded: [Bool] = []
            if let used = try? rleBytes.withExactBytes({ src throws(FloeError) in try BooleanRLE.decode(src, count: count, appendingTo: &decoded) }) {
                Self.check(used, rleBytes)
                #expect(decoded.count == count)
                // Every decoded Bool is a proper 0 or 1 byte.
                decoded.withUnsafeBytes { raw in #expect(raw.allSatisfy { $0 <= 1 }) }
            } else {
                #expect(decoded.isEmpty)
            }
        }
    }

    @Test func deltaEncodings() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<5000 {
            let count = Int(rng.next() % 300)
            let values = (0..<count).map { _ in Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64) }
            var valid = ByteWriter()
            switch rng.next() % 3 {
            case 0: values.withUnsafeBufferPointer { DeltaBinaryPacked.encodeInt64($0, into: &valid) }
            case 1:
                let strings = BinaryValues(values.map { v in Array("k\(v % 50)".utf8) })
                DeltaByteArray.encode(strings, range: 0..<count, into: &valid)
            default:
                let strings = BinaryValues(values.map { v in Array("\(v)".utf8) })
                DeltaLengthByteArray.encode(strings, range: 0..<count, into: &valid)
            }
            let bytes = Self.input(&rng, valid: valid.bytes)
            let asked = rng.next() % 5 == 0 ? Int(rng.next() % 20_000) : count
            var i64: [Int64] = []
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in try DeltaBinaryPacked.decodeInt64(src, count: asked, appendingTo: &i64) }) {
                Self.check(used, bytes)
                #expect(i64.count == asked)
            } else {
                #expect(i64.isEmpty)
            }
            var i32: [Int32] = []
            _ = try? bytes.withExactBytes { src throws(FloeError) in try DeltaBinaryPacked.decodeInt32(src, count: asked, appendingTo: &i32) }
            var bin = BinaryValues()
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in
                try DeltaByteArray.decode(src, count: asked, appendingTo: &bin, maxBytes: 1 << 20)
            }) {
                Self.check(used, bytes)
                #expect(bin.count == asked)
            } else {
                #expect(bin.count == 0)
            }
            #expect(bin.bytes.count == bin.offsets.last)
            var bin2 = BinaryValues()
            if let used = try? bytes.withExactBytes({ src throws(FloeError) in try DeltaLengthByteArray.decode(src, count: asked, appendingTo: &bin2) }) {
                Self.check(used, bytes)
            }
            #expect(bin2.bytes.count == bin2.offsets.last)
            var fixed = FixedWidthValues(width: 1 + Int(rng.next() % 9))
            _ = try? bytes.withExactBytes { src throws(FloeError) in try ByteStreamSplit.decodeFixed(src, count: asked, appendingTo: &fixed) }
            _ = try? bytes.withExactBytes { src throws(FloeError) in try DeltaByteArray.decodeFixed(src, count: asked, appendingTo: &fixed) }
        }
    }
}
