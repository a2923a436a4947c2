import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// Rows written in many small batches still make whole pages: the writer carries the rows
/// past the last full page over to the next slice instead of ending a short page.
@Suite struct PageAlignmentTests {
    static let schema: Schema = {
        // id INT64 required, name STRING optional, tags LIST<STRING> (three-level).
        try! Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
            .group("tags", [.group("list", [.leaf("element", .byteArray, .optional, logicalType: .string)], .repeated)],
                   .optional, logicalType: .list),
        ]))
    }()

    /// Rows `start..<end`: names null on every third row, lists of 0–3 elements (some null).
    static func batch(_ start: Int, _ end: Int) -> [ColumnData] {
        let ids = (start..<end).map { Int64($0) }
        let nameLevels: [UInt8] = (start..<end).map { $0 % 3 == 0 ? 0 : 1 }
        let names = (start..<end).filter { $0 % 3 != 0 }.map { Array("name-\($0 % 97)".utf8) }
        var defs: [UInt8] = [], reps: [UInt8] = [], elements: [[UInt8]] = []
        for row in start..<end {
            let count = row % 4
            if count == 0 { defs.append(row % 8 == 0 ? 0 : 1); reps.append(0); continue }
            for k in 0..<count {
                reps.append(k == 0 ? 0 : 1)
                if (row + k) % 5 == 0 { defs.append(2) } else { defs.append(3); elements.append(Array("t\(row % 11)-\(k)".utf8)) }
            }
        }
        return [ColumnData(values: .int64(ids)),
                ColumnData(values: .byteArray(BinaryValues(names)), definitionLevels: nameLevels),
                ColumnData(values: .byteArray(BinaryValues(elements)), definitionLevels: defs, repetitionLevels: reps)]
    }

    @Test(arguments: [nil, 4_500] as [Int?])
    func smallBatchesMakeWholePages(rowGroupRows: Int?) throws {
        var options = WriterOptions()
        options.dataPageRowLimit = 1000
        options.rowGroupSize = 256 << 10  // slices of 64 KiB: several batches each
        options.rowGroupRowLimit = rowGroupRows
        let path = temporaryPath("page-alignment.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: PageAlignmentTests.schema, options: options)
        var expected = PageAlignmentTests.batch(0, 0)
        var row = 0
        while row < 12_345 {
            let end = min(12_345, row + 333)
            let part = PageAlignmentTests.batch(row, end)
            try writer.write(part)
            for i in expected.indices { expected[i].append(contentsOf: part[i]) }
            row = end
        }
        try writer.close()

        let file = try ParquetFile(path: path)
        var got = PageAlignmentTests.batch(0, 0)
        var groupStart = 0
        for g in file.metadata.rowGroups.indices {
            let rows = Int(file.metadata.rowGroups[g].numRows)
            if let rowGroupRows { #expect(rows == min(rowGroupRows, 12_345 - groupStart)) }
            for c in 0..<3 {
                let offsets = try #require(try file.offsetIndex(rowGroup: g, column: c))
                let firsts = offsets.pageLocations.map { Int($0.firstRowIndex) }
                // Every page but the group's last holds exactly the page row limit.
                #expect(firsts == Array(stride(from: 0, to: rows, by: 1000)), "group \(g) column \(c)")
                got[c].append(contentsOf: try file.readColumn(rowGroup: g, column: c))
            }
            groupStart += rows
        }
        #expect(groupStart == 12_345)
        for c in 0..<3 { #expect(got[c] == expected[c], "column \(c)") }
    }

    @Test func aCopiedRangeHoldsItsRowsAlone() {
        let data = PageAlignmentTests.batch(0, 40)
        // Rows 10..<25 of the list column: find their entries and values by the levels.
        let list = data[2]
        var entries: [Int] = []
        for (e, r) in list.repetitionLevels.enumerated() where r == 0 { entries.append(e) }
        entries.append(list.repetitionLevels.count)
        let entryStart = entries[10]
        let entryEnd = entries[25]
        let valuesBefore = list.definitionLevels[..<entryStart].filter { $0 == 3 }.count
        let valuesIn = list.definitionLevels[entryStart..<entryEnd].filter { $0 == 3 }.count
        let part = list.copy(entries: entryStart..<entryEnd, values: valuesBefore..<(valuesBefore + valuesIn))
        #expect(part == PageAlignmentTests.batch(10, 25)[2])
        let names = data[1].copy(entries: 10..<25, values: 6..<16)
        #expect(names == PageAlignmentTests.batch(10, 25)[1])
        #expect(data[0].copy(entries: 10..<25, values: 10..<25) == PageAlignmentTests.batch(10, 25)[0])
    }
}
