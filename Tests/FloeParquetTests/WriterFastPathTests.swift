import Testing
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// The writer's shortcuts (counting levels by words, page statistics from dictionary entries,
/// cutting a page without a per-entry loop, RLE runs scanned by words) against plain
/// reference computations.
@Suite struct WriterFastPathTests {
    /// A reproducible byte stream.
    struct Bytes {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: (state >> 33) % UInt64(bound))
        }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000])
    func levelCountMatchesByteByByte(length: Int) {
        var random = Bytes(state: UInt64(length) &+ 11)
        // Long runs and scattered values, with levels up to 255.
        let levels: [UInt8] = (0..<length).map { i in
            i % 50 < 20 ? 1 : UInt8(truncatingIfNeeded: random.next(4) == 0 ? 255 : random.next(3))
        }
        for value: UInt8 in [0, 1, 2, 255] {
            let expected = levels.filter { $0 == value }.count
            let counted = levels.withUnsafeBufferPointer { ColumnData.count(of: value, in: $0) }
            #expect(counted == expected, "value \(value)")
        }
    }

    func stringDescriptor() throws -> ColumnDescriptor {
        try Schema(root: .group("schema", [.leaf("s", .byteArray, .optional, logicalType: .string)])).leaves[0]
    }

    @Test func dictionaryStatisticsMatchValueStatistics() throws {
        let descriptor = try stringDescriptor()
        let words: [[UInt8]] = ["pear", "", "apple", "apples", "zebra", "Zebra", "caf\u{E9}", "b"].map { Array($0.utf8) }
        let dictionary = BinaryValues(words)
        var random = Bytes(state: 7)
        var marks = DistinctMarks()
        // Several pages over one dictionary: the marks of a page must not leak into the next.
        for page in 0..<12 {
            let count = page == 0 ? 1 : 1 + random.next(40)
            let ids = (0..<count).map { _ in UInt32(page < 6 ? random.next(words.count) : random.next(3)) }
            let values = BinaryValues(ids.map { words[Int($0)] })
            var plain = StatisticsBuilder(descriptor: descriptor, truncateLength: 64)
            plain.add(.byteArray(values), range: 0..<values.count)
            var fromDictionary = StatisticsBuilder(descriptor: descriptor, truncateLength: 64)
            fromDictionary.addUnsignedBytes(dictionary: dictionary, indices: ids, marks: &marks)
            #expect(fromDictionary.statistics() == plain.statistics(), "page \(page)")
        }
    }

    @Test func dictionaryStatisticsOfEmptyValues() throws {
        let descriptor = try stringDescriptor()
        var marks = DistinctMarks()
        var builder = StatisticsBuilder(descriptor: descriptor, truncateLength: 64)
        builder.addUnsignedBytes(dictionary: BinaryValues([[UInt8]()]), indices: [0, 0, 0], marks: &marks)
        let statistics = builder.statistics()
        #expect(statistics.minValue == [])
        #expect(statistics.maxValue == [])
    }

    /// The page cut of the original per-entry loop.
    func referenceCut(_ data: ColumnData, maxDef: Int, from e0: Int, _ v0: Int, end: Int,
                      rowLimit: Int, byteLimit: Int) -> (entry: Int, value: Int, rows: Int) {
        var e = e0, v = v0, rows = 0, bytes = 0
        guard case .byteArray(let b) = data.values else { return (e, v, rows) }
        while e < end {
            if rows >= rowLimit || bytes >= byteLimit { break }
            rows += 1
            if maxDef == 0 || data.definitionLevels[e] == UInt8(maxDef) {
                bytes += 4 + b.offsets[v + 1] - b.offsets[v]
                v += 1
            }
            e += 1
        }
        return (e, v, rows)
    }

    @Test(arguments: [(20_000, 1 << 20), (20_000, 100), (7, 1 << 20), (1, 1), (500, 37)])
    func pageCutsMatchTheEntryLoop(rowLimit: Int, byteLimit: Int) throws {
        let descriptor = try stringDescriptor()
        var random = Bytes(state: UInt64(rowLimit &* 31 &+ byteLimit))
        let defs: [UInt8] = (0..<300).map { _ in random.next(3) == 0 ? 0 : 1 }
        let values = BinaryValues(defs.filter { $0 == 1 }.map { _ in [UInt8](repeating: 0x61, count: random.next(12)) })
        let data = ColumnData(values: .byteArray(values), definitionLevels: defs)
        let cutter = PageCutter(descriptor: descriptor, rowLimit: rowLimit, byteLimit: byteLimit)
        var e = 0, v = 0
        var pages = 0
        while e < defs.count {
            let expected = referenceCut(data, maxDef: 1, from: e, v, end: defs.count, rowLimit: rowLimit, byteLimit: byteLimit)
            let rows = cutter.next(data, entry: &e, value: &v, end: defs.count)
            #expect(e == expected.entry && v == expected.value && rows == expected.rows, "page \(pages)")
            guard e == expected.entry, rows > 0 else { break }
            pages += 1
        }
        #expect(e == defs.count)
        #expect(v == values.count)
    }

    @Test func byteLevelRunsEncodeLikeWideValues() {
        var random = Bytes(state: 3)
        // Runs of every length around the 8-value RLE threshold and the 8-byte word.
        var levels: [UInt8] = []
        for run in [1, 3, 7, 8, 9, 15, 16, 17, 24, 100, 2, 1, 1, 33] {
            let value = UInt8(random.next(4))
            levels.append(contentsOf: repeatElement(value, count: run))
            levels.append(UInt8(random.next(4)))
        }
        for length in [levels.count, levels.count - 5, 9, 8, 1] {
            let slice = Array(levels[0..<length])
            var narrow = ByteWriter(), wide = ByteWriter()
            slice.withUnsafeBufferPointer { RLEHybrid.encodeLevels($0, bitWidth: 2, into: &narrow) }
            slice.map { UInt32($0) }.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: 2, into: &wide) }
            #expect(narrow.bytes == wide.bytes, "length \(length)")
        }
    }

    @Test func appendedByteArraysKeepTheirOffsets() {
        var a = PhysicalValues.byteArray(BinaryValues([Array("ab".utf8), []]))
        let copy = a
        a.append(contentsOf: .byteArray(BinaryValues([Array("c".utf8), Array("def".utf8)])))
        #expect(a == .byteArray(BinaryValues([Array("ab".utf8), [], Array("c".utf8), Array("def".utf8)])))
        // The value appended to was not shared with its earlier copy.
        #expect(copy == .byteArray(BinaryValues([Array("ab".utf8), []])))
    }
}
