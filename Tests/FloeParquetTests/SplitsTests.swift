import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// A file of `rows` rows (id, optional name, optional list of ints) in row groups of
/// `rowGroupRows`, and the columns written.
struct SplitFixture {
    let path: String
    let columns: [ColumnData]

    static func schema() throws -> Schema {
        try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
            .group("tags", [.group("list", [.leaf("element", .int64, .optional)], .repeated)], .optional, logicalType: .list),
        ]))
    }

    /// Row `i`: id i; name "n<i>" except every 5th null; tags null when i % 4 == 0, empty when
    /// i % 4 == 1, else [i, null] when i % 7 == 0, else [i, i + 1].
    static func columns(_ range: Range<Int>) -> [ColumnData] {
        let ids = range.map { Int64($0) }
        var nameLevels: [UInt8] = [], names = BinaryValues()
        var tagDef: [UInt8] = [], tagRep: [UInt8] = [], tags: [Int64] = []
        for i in range {
            if i % 5 == 0 { nameLevels.append(0) } else { nameLevels.append(1); names.append(Array("n\(i)".utf8)) }
            switch i % 4 {
            case 0: tagDef.append(0); tagRep.append(0)
            case 1: tagDef.append(1); tagRep.append(0)
            default:
                tagDef.append(3); tagRep.append(0); tags.append(Int64(i))
                if i % 7 == 0 { tagDef.append(2) } else { tagDef.append(3); tags.append(Int64(i + 1)) }
                tagRep.append(1)
            }
        }
        return [ColumnData(values: .int64(ids)),
                ColumnData(values: .byteArray(names), definitionLevels: nameLevels),
                ColumnData(values: .int64(tags), definitionLevels: tagDef, repetitionLevels: tagRep)]
    }

    init(rows: Int, rowGroupRows: Int, dictionary: Bool = true, pageRows: Int = 20_000) throws {
        var options = WriterOptions()
        options.rowGroupRowLimit = rowGroupRows
        options.dictionary = dictionary
        options.dataPageRowLimit = pageRows
        path = temporaryPath("splits.parquet")
        columns = SplitFixture.columns(0..<rows)
        let writer = try ParquetWriter(path: path, schema: try SplitFixture.schema(), options: options)
        // Several writes, so that row groups are cut across write boundaries too.
        var start = 0
        while start < rows {
            let end = min(rows, start + 1234)
            try writer.write(SplitFixture.columns(start..<end))
            start = end
        }
        try writer.close()
    }

    func remove() { unlink(path) }
}

@Suite struct SplitsTests {
    @Test func parsesSplits() throws {
        let s = try InputSplit(parsing: "100:50")
        #expect(s.start == 100 && s.length == 50 && s.end == 150)
        #expect(s.contains(100) && s.contains(149) && !s.contains(150) && !s.contains(99))
        for bad in ["", "5", "a:1", "1:b", "-1:5", "5:-1", "1:2:3"] {
            #expect(throws: FloeError.self) { try InputSplit(parsing: bad) }
        }
        #expect(throws: FloeError.self) { try ParquetSplits.ranges(fileSize: 10, splitSize: 0) }
        #expect(try ParquetSplits.ranges(fileSize: 10, splitSize: 4).map { [$0.start, $0.length] } == [[0, 4], [4, 4], [8, 2]])
        #expect(try ParquetSplits.ranges(fileSize: 10, splitSize: 100).map { [$0.start, $0.length] } == [[0, 10]])
    }

    @Test func rowGroupRangesFollowTheChunks() throws {
        let f = try SplitFixture(rows: 5000, rowGroupRows: 1000)
        defer { f.remove() }
        let file = try ParquetFile(path: f.path)
        #expect(file.rowGroupCount == 5)
        let ranges = file.metadata.rowGroups.compactMap { ParquetSplits.byteRange(of: $0) }
        #expect(ranges.count == 5)
        // The first row group starts right after the magic; each ends where the next begins.
        #expect(ranges[0].lowerBound == 4)
        for g in 1..<5 { #expect(ranges[g].lowerBound == ranges[g - 1].upperBound) }
        for (g, group) in file.metadata.rowGroups.enumerated() {
            let first = group.columns.compactMap { $0.metaData.map { Int($0.dictionaryPageOffset ?? $0.dataPageOffset) } }.min()
            #expect(first == ranges[g].lowerBound)
            let total = group.columns.reduce(0) { $0 + Int($1.metaData?.totalCompressedSize ?? 0) }
            #expect(ranges[g].count == total)
            #expect(ParquetSplits.midpoint(of: group, fileSize: file.file.size) == ranges[g].lowerBound + total / 2)
        }
    }

    @Test(arguments: [(5000, 1000, true), (4321, 777, false), (3000, 3000, true), (2000, 50, false)])
    func splitsReadEveryRowOnce(rows: Int, rowGroupRows: Int, dictionary: Bool) throws {
        let f = try SplitFixture(rows: rows, rowGroupRows: rowGroupRows, dictionary: dictionary, pageRows: 300)
        defer { f.remove() }
        let file = try ParquetFile(path: f.path)
        let size = file.file.size
        let smallestGroup = file.metadata.rowGroups.compactMap { ParquetSplits.byteRange(of: $0)?.count }.min() ?? 1
        #expect(file.rowGroupCount == (rows + rowGroupRows - 1) / rowGroupRows)
        for splitSize in [1, 97, max(1, smallestGroup / 2), 4096, size / 3, size, size * 10] {
            let splits = try file.splits(splitSize: splitSize)
            // The splits tile the file.
            #expect(splits.first?.range.start == 0)
            #expect(splits.reduce(0) { $0 + $1.range.length } == size)
            for (a, b) in zip(splits, splits.dropFirst()) { #expect(a.range.end == b.range.start && a.range.length == splitSize) }
            // Each row group is in exactly one split, the one holding its midpoint.
            let assigned = splits.flatMap(\.rowGroups)
            #expect(assigned == Array(0..<file.rowGroupCount), "split size \(splitSize)")
            var merged = [ColumnData](repeating: ColumnData(values: .int64([])), count: 3)
            merged[1] = ColumnData(values: .byteArray(BinaryValues()))
            var rowTotal = 0
            for split in splits where !split.rowGroups.isEmpty {
                #expect(file.rowGroups(in: split.range) == split.rowGroups)
                for g in split.rowGroups {
                    #expect(split.range.contains(ParquetSplits.midpoint(of: file.metadata.rowGroups[g], fileSize: size)))
                }
                #expect(split.rows == split.rowGroups.reduce(0) { $0 + file.rowCount(ofRowGroup: $1) })
                rowTotal += split.rows
                for (_, columns) in try file.readSplit(split.range) {
                    for c in 0..<3 { merged[c].append(contentsOf: columns[c]) }
                }
            }
            #expect(rowTotal == rows)
            #expect(merged == f.columns, "split size \(splitSize)")
        }
        // A split larger than the file reads everything; a split past the end reads nothing.
        #expect(file.rowGroups(in: try InputSplit(start: 0, length: size * 2)) == Array(0..<file.rowGroupCount))
        #expect(file.rowGroups(in: try InputSplit(start: size, length: 100)).isEmpty)
    }
}
