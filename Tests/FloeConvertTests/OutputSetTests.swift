import Testing
import FloeCore
import FloeEncodings
import FloeColumns
import FloeParquet
@testable import FloeConvert

@Suite struct OutputSetTests {
    /// With many partitions open, the rows their writers hold back (until they fill whole pages)
    /// stay under the set's budget, and every row still reaches its partition's file.
    @Test func manyPartitionsKeepTheirHeldBackRowsUnderTheBudget() throws {
        let schema = try Schema(root: .group("schema", [
            .leaf("k", .byteArray, .optional, logicalType: .string),
            .leaf("v", .int64, .optional),
            .leaf("s", .byteArray, .optional, logicalType: .string),
        ]))
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "k")
        options.batchBytes = 256 << 10
        let dir = scratchDirectory("output-set-budget")
        let outputs = try OutputSet(output: dir + "/out", singleFile: false, schema: schema, options: options)
        #expect(outputs.pendingBudget == 1 << 20)
        var expected: [String: [Int64]] = [:]
        var largest = 0
        for round in 0..<6 {
            for p in 0..<40 {
                let key = "p\(p)"
                let values = (0..<2000).map { Int64(round * 1_000_000 + p * 10_000 + $0) }
                let text = values.map { Array("value-\($0 % 1000)".utf8) }
                let columns = [
                    ColumnData(values: .byteArray(BinaryValues(Array(repeating: Array(key.utf8), count: values.count))),
                               definitionLevels: Array(repeating: 1, count: values.count)),
                    ColumnData(values: .int64(values), definitionLevels: Array(repeating: 1, count: values.count)),
                    ColumnData(values: .byteArray(BinaryValues(text)), definitionLevels: Array(repeating: 1, count: values.count)),
                ]
                try outputs.write(columns, rows: values.count, to: key)
                expected[key, default: []] += values
                largest = max(largest, outputs.pendingBytes)
                #expect(outputs.pendingBytes <= outputs.pendingBudget)
            }
        }
        // Without the budget the writers would hold far more: each drains only past 4 MiB.
        #expect(largest > outputs.pendingBudget / 2)
        try outputs.finish()
        #expect(outputs.pendingBytes == 0)
        #expect(outputs.files.count == 40)
        for path in outputs.files {
            let key = String(path.split(separator: "/").first { $0.hasPrefix("k=") }!.dropFirst(2))
            let file = try ParquetFile(path: path)
            var got: [Int64] = []
            for g in file.metadata.rowGroups.indices {
                let column = try file.readColumn(rowGroup: g, column: 0)
                guard case .int64(let v) = column.values else { Issue.record("not int64"); continue }
                got += v
            }
            #expect(got == expected[key], "\(key)")
        }
    }
}
