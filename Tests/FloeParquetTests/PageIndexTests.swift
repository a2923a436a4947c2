import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

@Suite struct PageIndexTests {
    @Test(arguments: [1, 2])
    func pageIndexIsWrittenAndPagesReadAlone(pageVersion: Int) throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
        ]))
        var options = WriterOptions()
        options.dataPageRowLimit = 1000
        options.pageVersion = pageVersion
        // Without a dictionary every page is independent (a dictionary page is read with any page).
        options.dictionary = pageVersion == 1
        let path = temporaryPath("pageindex.parquet")
        defer { unlink(path) }
        let ids = (0..<10_000).map { Int64($0) }
        let levels: [UInt8] = (0..<10_000).map { $0 % 3 == 0 ? 0 : 1 }
        let names = (0..<10_000).filter { $0 % 3 != 0 }.map { Array("n\($0 / 100)".utf8) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([ColumnData(values: .int64(ids)),
                          ColumnData(values: .byteArray(BinaryValues(names)), definitionLevels: levels)])
        try writer.close()

        let file = try ParquetFile(path: path)
        let offsets = try #require(try file.offsetIndex(rowGroup: 0, column: 0))
        #expect(offsets.pageLocations.count == 10)
        #expect(offsets.pageLocations.map(\.firstRowIndex) == (0..<10).map { Int64($0 * 1000) })
        let index = try #require(try file.columnIndex(rowGroup: 0, column: 0))
        #expect(index.boundaryOrder == .ascending)
        #expect(index.nullPages == Array(repeating: false, count: 10))
        #expect(index.minValues[3] == withUnsafeBytes(of: Int64(3000).littleEndian) { Array($0) })
        #expect(index.nullCounts == Array(repeating: 0, count: 10))

        // Rows 4500..<5500 live in pages 4 and 5; only those (and the dictionary) are read.
        let pages = file.pages(covering: 4500..<5500, in: offsets, rowGroup: 0)
        #expect(pages == 4..<6)
        let before = file.file.bytesRead
        let (firstRow, data) = try file.readPages(rowGroup: 0, column: 0, pages: pages)
        let read = file.file.bytesRead - before
        #expect(firstRow == 4000)
        #expect(data.values == .int64(Array(ids[4000..<6000])))
        let chunk = try #require(file.metadata.rowGroups[0].columns[0].metaData)
        if !options.dictionary { #expect(read < Int(chunk.totalCompressedSize) / 3) }

        let nameOffsets = try #require(try file.offsetIndex(rowGroup: 0, column: 1))
        let (nameFirst, nameData) = try file.readPages(rowGroup: 0, column: 1, pages: 9..<10)
        #expect(Int64(nameFirst) == nameOffsets.pageLocations[9].firstRowIndex)
        #expect(nameData.definitionLevels == Array(levels[nameFirst...]))
        let expectedNames = (nameFirst..<10_000).filter { $0 % 3 != 0 }.map { Array("n\($0 / 100)".utf8) }
        #expect(nameData.values == .byteArray(BinaryValues(expectedNames)))
    }

    @Test func boundaryOrders() {
        let asc = PageIndexBuilder.boundaryOrder([false, true, false], [[1], [], [2]], [[3], [], [4]], .unsignedBytes)
        #expect(asc == .ascending)
        let desc = PageIndexBuilder.boundaryOrder([false, false], [[5], [1]], [[9], [2]], .unsignedBytes)
        #expect(desc == .descending)
        let none = PageIndexBuilder.boundaryOrder([false, false], [[5], [1]], [[6], [9]], .unsignedBytes)
        #expect(none == .unordered)
    }
}

@Suite struct WrittenBloomFilterTests {
    @Test func bloomFiltersAreWrittenForChosenColumns() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("id", .int64, .required),
            .leaf("name", .byteArray, .optional, logicalType: .string),
        ]))
        var options = WriterOptions()
        options.bloomFilterColumns = ["name"]
        options.rowGroupRowLimit = 3000
        let path = temporaryPath("bloom.parquet")
        defer { unlink(path) }
        let names = (0..<5000).map { Array("user-\($0)".utf8) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([ColumnData(values: .int64((0..<5000).map { Int64($0) })),
                          ColumnData(values: .byteArray(BinaryValues(names)), definitionLevels: Array(repeating: 1, count: 5000))])
        try writer.close()
        let file = try ParquetFile(path: path)
        #expect(file.rowGroupCount == 2)
        #expect(try file.bloomFilter(rowGroup: 0, column: 0) == nil)
        for g in 0..<2 {
            let filter = try #require(try file.bloomFilter(rowGroup: g, column: 1))
            let range = g == 0 ? 0..<3000 : 3000..<5000
            for i in range { #expect(filter.mightContain(hash: SplitBlockBloomFilter.hash(bytes: names[i]))) }
            // The other row group's values are mostly absent.
            let other = g == 0 ? 3000..<5000 : 0..<2000
            let falsePositives = other.filter { filter.mightContain(hash: SplitBlockBloomFilter.hash(bytes: names[$0])) }.count
            #expect(falsePositives < other.count / 20)
        }
    }
}

@Suite struct ProjectionTests {
    /// Reading one leaf of a wide nested schema touches only that leaf's column chunk.
    @Test func oneLeafReadsOneChunk() throws {
        var fields: [SchemaNode] = []
        for g in 0..<5 {
            fields.append(.group("g\(g)", (0..<8).map { .leaf("f\($0)", .int64, .optional) }, .optional))
        }
        let schema = try Schema(root: .group("schema", fields))
        let path = temporaryPath("wide.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: schema)
        let rows = 5000
        try writer.write(schema.leaves.map { leaf in
            ColumnData(values: .int64((0..<rows).map { Int64($0 * (leaf.index + 1)) }), definitionLevels: Array(repeating: 2, count: rows))
        })
        try writer.close()
        let file = try ParquetFile(path: path)
        let target = try #require(file.schema.leaf(named: "g3.f5"))
        let before = file.file.bytesRead
        let data = try file.readColumn(rowGroup: 0, column: target.index)
        let read = file.file.bytesRead - before
        let chunk = try #require(file.metadata.rowGroups[0].columns[target.index].metaData)
        #expect(read == Int(chunk.totalCompressedSize))
        #expect(data.values == .int64((0..<rows).map { Int64($0 * (target.index + 1)) }))
        #expect(read * 20 < file.file.size)
    }
}
