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

    static let schema = try! Schema(root: .group("schema", [
        .leaf("k", .byteArray, .optional, logicalType: .string),
        .leaf("v", .int64, .optional),
    ]))

    static func batch(_ key: String, _ values: [Int64]) -> [ColumnData] {
        [ColumnData(values: .byteArray(BinaryValues(Array(repeating: Array(key.utf8), count: values.count))),
                    definitionLevels: Array(repeating: 1, count: values.count)),
         ColumnData(values: .int64(values), definitionLevels: Array(repeating: 1, count: values.count))]
    }

    /// Every value of column v in the files of partition `key`, in file and row order.
    static func values(of key: String, in files: [String]) throws -> [Int64] {
        var got: [Int64] = []
        for path in files where path.contains("/k=\(key)/") {
            let file = try ParquetFile(path: path)
            for g in file.metadata.rowGroups.indices {
                guard case .int64(let v) = try file.readColumn(rowGroup: g, column: 0).values else { continue }
                got += v
            }
        }
        return got
    }

    /// Past the open-file limit the writer used least recently is completed; its partition
    /// goes on in a new part file, and no row is lost or reordered.
    @Test(arguments: [false, true])
    func openFilesStayWithinTheLimit(defersCommits: Bool) throws {
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "k")
        options.maxOpenFiles = 2
        let dir = scratchDirectory("output-set-open-files")
        let outputs = try OutputSet(output: dir + "/out", singleFile: false, schema: Self.schema, options: options,
                                    defersCommits: defersCommits)
        var expected: [String: [Int64]] = [:]
        // a, a, b, a, c (closes b), b (closes a), a (closes c), c (closes b)
        for (n, key) in ["a", "a", "b", "a", "c", "b", "a", "c"].enumerated() {
            let values = (0..<10).map { Int64(n * 100 + $0) }
            try outputs.write(Self.batch(key, values), rows: values.count, to: key)
            expected[key, default: []] += values
            #expect(outputs.openCount <= 2)
        }
        try outputs.finish()
        #expect(outputs.openCount == 0)
        #expect(outputs.files.filter { $0.contains("/k=a/") }.count == 2)
        #expect(outputs.files.filter { $0.contains("/k=b/") }.count == 2)
        #expect(outputs.files.filter { $0.contains("/k=c/") }.count == 2)
        for key in ["a", "b", "c"] { #expect(try Self.values(of: key, in: outputs.files) == expected[key]) }
        #expect(try FileSystem.files(under: dir + "/out").count == 6)
    }

    /// Past the memory budget the writers holding the most write out their row groups early.
    @Test func bufferedRowGroupsStayWithinTheBudget() throws {
        var options = ConvertOptions()
        options.partitioning = try PartitionSpec(parsing: "k")
        options.writer.rowGroupSize = 64 << 10
        options.writer.codec = .uncompressed
        options.writer.dictionary = false
        options.bufferBudget = 1
        let dir = scratchDirectory("output-set-buffer")
        let outputs = try OutputSet(output: dir + "/out", singleFile: false, schema: Self.schema, options: options)
        #expect(outputs.bufferBudget == 128 << 10)
        var expected: [String: [Int64]] = [:]
        for round in 0..<30 {
            for key in ["a", "b", "c", "d"] {
                let values = (0..<1000).map { Int64(round * 10_000 + $0) }
                try outputs.write(Self.batch(key, values), rows: values.count, to: key)
                expected[key, default: []] += values
                #expect(outputs.bufferedBytes <= outputs.bufferBudget)
            }
        }
        try outputs.finish()
        #expect(outputs.files.count == 4)
        for key in ["a", "b", "c", "d"] {
            #expect(try Self.values(of: key, in: outputs.files) == expected[key])
            // Four writers share 128 KiB: row groups end well before their 64 KiB.
            let file = try ParquetFile(path: outputs.files.first { $0.contains("/k=\(key)/") }!)
            #expect(file.metadata.rowGroups.count > 4)
        }
    }
}
