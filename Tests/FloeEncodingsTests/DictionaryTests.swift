import Testing
import FloeCore
@testable import FloeEncodings

func decodeIndices(_ bytes: [UInt8], count: Int) throws(FloeError) -> (values: [UInt32], used: Int) {
    var out = [UInt32](repeating: 0xDEAD, count: count)
    let used = try bytes.withExactBytes { src throws(FloeError) in
        try out.withPointer { p throws(FloeError) in try DictionaryIndices.decode(src, count: count, into: p) }
    }
    return (out, used)
}

@Suite struct DictionaryTests {
    @Test(arguments: [1, 2, 3, 100, 255, 256, 70_000], BitPackingTests.counts)
    func indicesRoundTrip(dictionarySize: Int, count: Int) throws {
        var rng = SeededRandom(seed: UInt64(dictionarySize * 17 + count))
        let indices = (0..<count).map { _ in UInt32(rng.next() % UInt64(dictionarySize)) }
        var w = ByteWriter()
        indices.withUnsafeBufferPointer { DictionaryIndices.encode($0, dictionarySize: dictionarySize, into: &w) }
        #expect(Int(w.bytes[0]) == DictionaryIndices.bitWidth(dictionarySize: dictionarySize))
        let (decoded, used) = try decodeIndices(w.bytes, count: count)
        #expect(decoded == indices)
        #expect(used == (count == 0 ? 0 : w.count))
    }

    @Test func indexBitWidths() {
        #expect(DictionaryIndices.bitWidth(dictionarySize: 0) == 1)
        #expect(DictionaryIndices.bitWidth(dictionarySize: 1) == 1)
        #expect(DictionaryIndices.bitWidth(dictionarySize: 2) == 1)
        #expect(DictionaryIndices.bitWidth(dictionarySize: 3) == 2)
        #expect(DictionaryIndices.bitWidth(dictionarySize: 256) == 8)
        #expect(DictionaryIndices.bitWidth(dictionarySize: 257) == 9)
    }

    /// ARROW-GH-43605: bit width 0, then a bit-packed run header of 2649 groups and no bytes.
    @Test func bitWidthZeroIndices() throws {
        let (values, used) = try decodeIndices([0x00, 0xB3, 0x29], count: 21186)
        #expect(values == Array(repeating: 0, count: 21186))
        #expect(used == 3)
        let (bare, _) = try decodeIndices([0x00], count: 3)
        #expect(bare == [0, 0, 0])
    }

    @Test func badIndexDataThrows() {
        let wide = floeError { () throws(FloeError) in _ = try decodeIndices([33, 0x02, 0, 0, 0, 0, 0], count: 1) }
        #expect(wide?.code == .corrupt)
        #expect(wide?.location.offset == 0)
        let empty = floeError { () throws(FloeError) in _ = try decodeIndices([], count: 1) }
        #expect(empty?.code == .corrupt)
        // Width 3, an RLE run of 2, but 3 values wanted: the offset counts the width byte.
        let short = floeError { () throws(FloeError) in _ = try decodeIndices([3, 0x04, 0x01], count: 3) }
        #expect(short?.code == .corrupt)
        #expect(short?.location.offset == 3)
    }

    @Test func gatherScalars() throws {
        let idx: [UInt32] = [2, 0, 1, 2, 2]
        try idx.withUnsafeBufferPointer { (i) throws(FloeError) in
            var a: [Int32] = [9]
            try DictionaryGather.gather([10, 20, 30], indices: i, appendingTo: &a)
            #expect(a == [9, 30, 10, 20, 30, 30])
            var b: [Int64] = []
            try DictionaryGather.gather([-1, .min, .max], indices: i, appendingTo: &b)
            #expect(b == [.max, -1, .min, .max, .max])
            var c: [Float] = []
            try DictionaryGather.gather([1.5, -0.0, 3], indices: i, appendingTo: &c)
            #expect(c.map(\.bitPattern) == [3, 1.5, -0.0, 3, 3].map { Float($0).bitPattern })
            var d: [Double] = []
            try DictionaryGather.gather([1.5, 2.5, 3.5], indices: i, appendingTo: &d)
            #expect(d == [3.5, 1.5, 2.5, 3.5, 3.5])
            var e: [Bool] = []
            try DictionaryGather.gather([true, false, true], indices: i, appendingTo: &e)
            #expect(e == [true, true, false, true, true])
        }
    }

    @Test func gatherLargeScalarBatch() throws {
        var rng = SeededRandom(seed: 3)
        let dict = (0..<1000).map { _ in Int64(bitPattern: rng.next()) }
        let idx = (0..<5000).map { _ in UInt32(rng.next() % 1000) }
        var out: [Int64] = []
        try idx.withUnsafeBufferPointer { (i) throws(FloeError) in try DictionaryGather.gather(dict, indices: i, appendingTo: &out) }
        #expect(out == idx.map { dict[Int($0)] })
    }

    @Test func gatherOutOfRangeThrows() {
        let idx: [UInt32] = Array(repeating: 0, count: 3000) + [3] + [1]
        var out: [Int32] = [5]
        let e = floeError { () throws(FloeError) in
            try idx.withUnsafeBufferPointer { (i) throws(FloeError) in try DictionaryGather.gather([1, 2, 3], indices: i, appendingTo: &out) }
        }
        #expect(e?.code == .corrupt)
        #expect(e?.message.contains("index 3") == true)
        #expect(e?.message.contains("3 values") == true)
        #expect(out == [5])
        // Any index into an empty dictionary.
        let e2 = floeError { () throws(FloeError) in
            try [UInt32(0)].withUnsafeBufferPointer { (i) throws(FloeError) in try DictionaryGather.gather([Int32](), indices: i, appendingTo: &out) }
        }
        #expect(e2?.code == .corrupt)
        var bin = BinaryValues([[1]])
        let e3 = floeError { () throws(FloeError) in
            try idx.withUnsafeBufferPointer { (i) throws(FloeError) in
                try DictionaryGather.gather(BinaryValues([[1], [2], [3]]), indices: i, appendingTo: &bin)
            }
        }
        #expect(e3?.code == .corrupt)
        #expect(bin == BinaryValues([[1]]))
        var fixed = FixedWidthValues(width: 2)
        let e4 = floeError { () throws(FloeError) in
            try [UInt32(1)].withUnsafeBufferPointer { (i) throws(FloeError) in
                try DictionaryGather.gather(FixedWidthValues(width: 2, bytes: [1, 2]), indices: i, appendingTo: &fixed)
            }
        }
        #expect(e4?.code == .corrupt)
        #expect(fixed.bytes.isEmpty)
    }

    @Test func gatherBinaryAndFixed() throws {
        let dict = BinaryValues([Array("alpha".utf8), [], Array("a somewhat longer string value".utf8)])
        let idx: [UInt32] = [2, 1, 0, 0, 2]
        var out = BinaryValues([Array("x".utf8)])
        try idx.withUnsafeBufferPointer { (i) throws(FloeError) in try DictionaryGather.gather(dict, indices: i, appendingTo: &out) }
        #expect(out == BinaryValues([Array("x".utf8)] + idx.map { Array(dict[Int($0)]) }))
        #expect(out.bytes.count == out.offsets.last)

        let fd = FixedWidthValues(width: 3, bytes: [1, 2, 3, 4, 5, 6])
        var fo = FixedWidthValues(width: 3)
        try [UInt32(1), 0, 1].withUnsafeBufferPointer { (i) throws(FloeError) in try DictionaryGather.gather(fd, indices: i, appendingTo: &fo) }
        #expect(fo.bytes == [4, 5, 6, 1, 2, 3, 4, 5, 6])
    }

    /// A long dictionary value repeated by many indices hits the output cap before allocating.
    @Test func gatherOutputIsCapped() throws {
        let dict = BinaryValues([[UInt8](repeating: 1, count: 1000)])
        let idx = [UInt32](repeating: 0, count: 100)
        var out = BinaryValues()
        let e = floeError { () throws(FloeError) in
            try idx.withUnsafeBufferPointer { (i) throws(FloeError) in
                try DictionaryGather.gather(dict, indices: i, appendingTo: &out, maxBytes: 99_999)
            }
        }
        #expect(e?.code == .limitExceeded)
        #expect(out.count == 0)
        try idx.withUnsafeBufferPointer { (i) throws(FloeError) in
            try DictionaryGather.gather(dict, indices: i, appendingTo: &out, maxBytes: 100_000)
        }
        #expect(out.bytes.count == 100_000)
        var fixed = FixedWidthValues(width: 1000)
        let e2 = floeError { () throws(FloeError) in
            try idx.withUnsafeBufferPointer { (i) throws(FloeError) in
                try DictionaryGather.gather(FixedWidthValues(width: 1000, bytes: Array(dict.bytes)), indices: i,
                                            appendingTo: &fixed, maxBytes: 50_000)
            }
        }
        #expect(e2?.code == .limitExceeded)
        #expect(fixed.bytes.isEmpty)
    }

    @Test func int32Builder() {
        var b = Int32DictionaryBuilder()
        var indices: [UInt32] = []
        [5, 7, 5, 5, -1, 7].withUnsafeBufferPointer { b.append($0, indicesInto: &indices) }
        #expect(indices == [0, 1, 0, 0, 2, 1])
        #expect(b.values == [5, 7, -1])
        #expect(b.count == 3)
        #expect(b.plainEncodedSize == 12)
        [-1, 8].withUnsafeBufferPointer { b.append($0, indicesInto: &indices) }
        #expect(indices == [0, 1, 0, 0, 2, 1, 2, 3])
        b.reset()
        #expect(b.count == 0)
        indices = []
        [8].withUnsafeBufferPointer { b.append($0, indicesInto: &indices) }
        #expect(indices == [0])
    }

    @Test(arguments: [1, 10, 5000, 100_000])
    func int64BuilderMatchesReference(distinct: Int) {
        var rng = SeededRandom(seed: UInt64(distinct))
        let pool = (0..<distinct).map { _ in Int64(bitPattern: rng.next()) }
        let values = (0..<20_000).map { _ in pool[Int(rng.next() % UInt64(distinct))] }
        var b = Int64DictionaryBuilder()
        var indices: [UInt32] = []
        values.withUnsafeBufferPointer { b.append($0, indicesInto: &indices) }
        var reference: [Int64: Int] = [:]
        var order: [Int64] = []
        for v in values where reference[v] == nil { reference[v] = order.count; order.append(v) }
        #expect(b.values == order)
        #expect(indices == values.map { UInt32(reference[$0]!) })
        #expect(b.plainEncodedSize == 8 * order.count)
    }

    @Test func floatBuildersKeepBitPatterns() {
        let nan1 = Float(bitPattern: 0x7FC0_0000)
        let nan2 = Float(bitPattern: 0x7FC0_0001)
        var f = FloatDictionaryBuilder()
        var idx: [UInt32] = []
        [0.0, -0.0, nan1, nan2, nan1, 0.0].withUnsafeBufferPointer { f.append($0, indicesInto: &idx) }
        #expect(idx == [0, 1, 2, 3, 2, 0])
        #expect(f.values.map(\.bitPattern) == [0, 0x8000_0000, 0x7FC0_0000, 0x7FC0_0001])
        #expect(f.plainEncodedSize == 16)

        var d = DoubleDictionaryBuilder()
        idx = []
        [0.0, -0.0, .nan, .nan, 1].withUnsafeBufferPointer { d.append($0, indicesInto: &idx) }
        #expect(idx == [0, 1, 2, 2, 3])
        #expect(d.values.map(\.bitPattern) == [0, 0x8000_0000_0000_0000, Double.nan.bitPattern, Double(1).bitPattern])
    }

    @Test(arguments: [1, 50, 3000, 50_000])
    func binaryBuilderMatchesReference(distinct: Int) {
        var rng = SeededRandom(seed: UInt64(distinct) + 11)
        let pool = (0..<distinct).map { i in Array("v\(i)-".utf8) + (0..<Int(rng.next() % 30)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let values = BinaryValues((0..<20_000).map { _ in pool[Int(rng.next() % UInt64(distinct))] } + [[], []])
        var b = BinaryDictionaryBuilder()
        var indices: [UInt32] = []
        b.append(values, range: 0..<5000, indicesInto: &indices)
        b.append(values, range: 5000..<values.count, indicesInto: &indices)
        var reference: [[UInt8]: Int] = [:]
        var order: [[UInt8]] = []
        for i in 0..<values.count {
            let v = Array(values[i])
            if reference[v] == nil { reference[v] = order.count; order.append(v) }
        }
        #expect(b.values == BinaryValues(order))
        #expect(indices == (0..<values.count).map { UInt32(reference[Array(values[$0])]!) })
        #expect(b.plainEncodedSize == order.reduce(0) { $0 + 4 + $1.count })
        b.reset()
        #expect(b.count == 0)
        #expect(b.plainEncodedSize == 0)
    }

    @Test func fixedBuilder() {
        let values = FixedWidthValues(width: 2, bytes: [1, 2, 3, 4, 1, 2, 0, 0, 3, 4])
        var b = FixedDictionaryBuilder(width: 2)
        var indices: [UInt32] = []
        b.append(values, range: 0..<5, indicesInto: &indices)
        #expect(indices == [0, 1, 0, 2, 1])
        #expect(b.values.bytes == [1, 2, 3, 4, 0, 0])
        #expect(b.plainEncodedSize == 6)
        indices = []
        b.append(values, range: 3..<5, indicesInto: &indices)
        #expect(indices == [2, 1])
    }
}

@Suite struct BooleanRLETests {
    @Test(arguments: BitPackingTests.counts)
    func roundTrip(count: Int) throws {
        for shape in 0..<3 {
            var rng = SeededRandom(seed: UInt64(count * 3 + shape))
            let values = randomValues(count: count, width: 1, shape: shape, rng: &rng).map { $0 == 1 }
            var w = ByteWriter()
            values.withUnsafeBufferPointer { BooleanRLE.encode($0, into: &w) }
            let declared = Int(w.bytes[0]) | Int(w.bytes[1]) << 8 | Int(w.bytes[2]) << 16 | Int(w.bytes[3]) << 24
            #expect(declared == w.count - 4)
            var out: [Bool] = [false]
            let used = try w.bytes.withExactBytes { src throws(FloeError) in try BooleanRLE.decode(src, count: count, appendingTo: &out) }
            #expect(used == w.count)
            #expect(out == [false] + values)
        }
    }

    @Test func handMade() throws {
        // Length 4: RLE run of 3 trues, bit-packed group 0b00000101.
        let bytes: [UInt8] = [4, 0, 0, 0, 0x06, 0x01, 0x03, 0x05]
        var out: [Bool] = []
        let used = try bytes.withExactBytes { src throws(FloeError) in try BooleanRLE.decode(src, count: 6, appendingTo: &out) }
        #expect(used == 8)
        #expect(out == [true, true, true, true, false, true])
    }

    @Test func corruptInputs() {
        var out: [Bool] = [true]
        func attempt(_ bytes: [UInt8], count: Int) -> FloeError? {
            floeError { () throws(FloeError) in
                _ = try bytes.withExactBytes { src throws(FloeError) in try BooleanRLE.decode(src, count: count, appendingTo: &out) }
            }
        }
        #expect(attempt([2, 0, 0], count: 1)?.code == .corrupt)
        #expect(attempt([9, 0, 0, 0, 0x02, 0x01], count: 1)?.code == .corrupt)
        let bad = attempt([2, 0, 0, 0, 0x02, 0x02], count: 1)
        #expect(bad?.code == .corrupt)
        #expect(bad?.location.offset == 5)
        #expect(attempt([2, 0, 0, 0, 0x02, 0x01], count: 2)?.code == .corrupt)
        #expect(out == [true])
    }
}
