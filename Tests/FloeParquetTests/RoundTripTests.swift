import Testing
import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// A deterministic generator so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

func temporaryPath(_ name: String) -> String {
    "/tmp/floe-tests-\(getpidValue())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
}

#if canImport(Glibc)
import Glibc
func getpidValue() -> Int32 { getpid() }
#endif

/// Builds one column of `rows` rows of every physical type, with nulls when optional.
func makeColumn(_ leaf: ColumnDescriptor, rows: Int, rng: inout SeededRandom, distinct: Int = 0) -> ColumnData {
    var levels: [UInt8] = []
    var present = rows
    if leaf.maxDefinitionLevel > 0 {
        levels = (0..<rows).map { _ in rng.next() % 5 == 0 ? 0 : 1 }
        present = levels.filter { $0 == 1 }.count
    }
    func pick() -> UInt64 { distinct > 0 ? rng.next() % UInt64(distinct) : rng.next() }
    let values: PhysicalValues
    switch leaf.physicalType {
    case .boolean: values = .boolean((0..<present).map { _ in rng.next() & 1 == 1 })
    case .int32: values = .int32((0..<present).map { _ in Int32(truncatingIfNeeded: pick()) })
    case .int64: values = .int64((0..<present).map { _ in Int64(truncatingIfNeeded: pick()) })
    case .float: values = .float((0..<present).map { _ in Float(Int32(truncatingIfNeeded: pick())) / 7 })
    case .double: values = .double((0..<present).map { _ in Double(Int64(truncatingIfNeeded: pick())) / 3 })
    case .byteArray:
        values = .byteArray(BinaryValues((0..<present).map { _ in
            let n = Int(pick() % 40)
            return (0..<n).map { i in UInt8(97 + (i * 7 + n) % 26) }
        }))
    case .int96:
        values = .int96(FixedWidthValues(width: 12, bytes: (0..<(present * 12)).map { _ in UInt8(truncatingIfNeeded: pick()) }))
    default:
        let w = leaf.typeLength
        values = .fixedLenByteArray(FixedWidthValues(width: w, bytes: (0..<present).flatMap { _ in
            let x = pick()
            return (0..<w).map { UInt8(truncatingIfNeeded: x >> (8 * UInt64($0 % 8))) }
        }))
    }
    return ColumnData(values: values, definitionLevels: levels)
}

let allTypesSchema: Schema = {
    var nodes: [SchemaNode] = []
    for rep in [FieldRepetitionType.required, .optional] {
        let p = rep == .required ? "r_" : "o_"
        nodes += [
            .leaf(p + "bool", .boolean, rep),
            .leaf(p + "i32", .int32, rep),
            .leaf(p + "i64", .int64, rep),
            .leaf(p + "u32", .int32, rep, logicalType: .integer(bitWidth: 32, isSigned: false)),
            .leaf(p + "f32", .float, rep),
            .leaf(p + "f64", .double, rep),
            .leaf(p + "str", .byteArray, rep, logicalType: .string),
            .leaf(p + "i96", .int96, rep),
            .leaf(p + "flba", .fixedLenByteArray, rep, typeLength: 5),
            .leaf(p + "dec", .fixedLenByteArray, rep, logicalType: .decimal(scale: 2, precision: 20), typeLength: 9),
        ]
    }
    return try! Schema(root: .group("schema", nodes))
}()

@Suite struct RoundTripTests {
    static let codecs: [CompressionKind] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .brotli, .lz4]

    @Test(arguments: codecs, [1, 2])
    func everyTypeRoundTrips(codec: CompressionKind, pageVersion: Int) throws {
        for dictionary in [true, false] {
            var options = WriterOptions()
            options.codec = codec
            options.pageVersion = pageVersion
            options.dictionary = dictionary
            options.dataPageRowLimit = 300
            options.rowGroupRowLimit = 1000
            var rng = SeededRandom(state: 42)
            let columns = allTypesSchema.leaves.map { makeColumn($0, rows: 2500, rng: &rng, distinct: dictionary ? 50 : 0) }
            let path = temporaryPath("all.parquet")
            defer { unlink(path) }
            let writer = try ParquetWriter(path: path, schema: allTypesSchema, options: options)
            try writer.write(columns)
            try writer.close()

            let file = try ParquetFile(path: path)
            #expect(file.numRows == 2500)
            #expect(file.rowGroupCount == 3)
            #expect(file.schema == allTypesSchema)
            for (c, leaf) in file.schema.leaves.enumerated() {
                var joined = ColumnData(emptyFor: leaf)
                for g in 0..<file.rowGroupCount { joined.append(contentsOf: try file.readColumn(rowGroup: g, column: c)) }
                #expect(joined == columns[c], "column \(leaf.dottedPath) codec \(codec) v\(pageVersion) dict \(dictionary)")
                let meta = try #require(file.metadata.rowGroups[0].columns[c].metaData)
                #expect(meta.codec.rawValue == codec.rawValue)
                let usesDictionary = meta.encodings.contains(.rleDictionary)
                #expect(usesDictionary == (dictionary && leaf.physicalType != .boolean && leaf.physicalType != .int96))
            }
        }
    }

    @Test func smallBatchesAreGatheredAndRowGroupsSizedByBytes() throws {
        let schema = try Schema(root: .group("schema", [.leaf("x", .int64, .required)]))
        var options = WriterOptions()
        options.rowGroupSize = 64 << 10
        options.codec = .uncompressed
        options.dictionary = false
        let path = temporaryPath("bytes.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var expected: [Int64] = []
        for batch in 0..<100 {
            let values = (0..<1000).map { Int64(batch * 1000 + $0) }
            expected += values
            try writer.write([ColumnData(values: .int64(values))])
        }
        try writer.close()
        let file = try ParquetFile(path: path)
        #expect(file.numRows == 100_000)
        // 800 KB of values in row groups of about 64 KB.
        #expect(file.rowGroupCount >= 10)
        for g in file.metadata.rowGroups { #expect(g.totalCompressedSize! < 2 * (64 << 10)) }
        var got: [Int64] = []
        for g in 0..<file.rowGroupCount {
            if case .int64(let v) = try file.readColumn(rowGroup: g, column: 0).values { got += v }
        }
        #expect(got == expected)
    }

    @Test func dictionaryFallsBackToPlainPastItsLimit() throws {
        let schema = try Schema(root: .group("schema", [.leaf("s", .byteArray, .required, logicalType: .string)]))
        var options = WriterOptions()
        options.dictionaryPageSizeLimit = 4096
        options.dataPageRowLimit = 100
        let path = temporaryPath("fallback.parquet")
        defer { unlink(path) }
        let strings = (0..<5000).map { Array("value-\($0)".utf8) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([ColumnData(values: .byteArray(BinaryValues(strings)))])
        try writer.close()
        let file = try ParquetFile(path: path)
        let meta = try #require(file.metadata.rowGroups[0].columns[0].metaData)
        #expect(meta.encodings.contains(.rleDictionary))
        #expect(meta.encodings.contains(.plain))
        #expect(try file.readColumn(rowGroup: 0, column: 0).values == .byteArray(BinaryValues(strings)))
    }

    @Test func emptyFileHasOneEmptyRowGroupAndReads() throws {
        let path = temporaryPath("empty.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: allTypesSchema)
        try writer.close()
        let file = try ParquetFile(path: path)
        #expect(file.numRows == 0)
        #expect(try file.readColumn(rowGroup: 0, column: 3) == ColumnData(emptyFor: allTypesSchema.leaves[3]))
    }

    @Test func fileAppearsOnlyWhenClosed() throws {
        let path = temporaryPath("atomic.parquet")
        defer { unlink(path) }
        do {
            let writer = try ParquetWriter(path: path, schema: allTypesSchema)
            _ = writer
            #expect(access(path, F_OK) != 0)
        }
        // Dropped without close: nothing under the final name, no temporary left behind.
        #expect(access(path, F_OK) != 0)
    }

    @Test func mismatchedColumnsAreRejected() throws {
        let schema = try Schema(root: .group("schema", [.leaf("a", .int32, .optional), .leaf("b", .int32, .required)]))
        let path = temporaryPath("bad.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: schema)
        // Levels say two values, one is given.
        #expect(throws: FloeError.self) {
            try writer.write([ColumnData(values: .int32([1]), definitionLevels: [1, 1]), ColumnData(values: .int32([1, 2]))])
        }
        // Row counts differ.
        #expect(throws: FloeError.self) {
            try writer.write([ColumnData(values: .int32([1]), definitionLevels: [1]), ColumnData(values: .int32([1, 2]))])
        }
        // Wrong physical type.
        #expect(throws: FloeError.self) {
            try writer.write([ColumnData(values: .int64([1]), definitionLevels: [1]), ColumnData(values: .int32([1]))])
        }
    }
}

@Suite struct EncodingChoiceTests {
    @Test(arguments: [1, 2])
    func chosenEncodingsRoundTrip(pageVersion: Int) throws {
        var options = WriterOptions()
        options.pageVersion = pageVersion
        options.dataPageRowLimit = 700
        for rep in ["r_", "o_"] {
            options.columnEncodings[rep + "f32"] = .byteStreamSplit
            options.columnEncodings[rep + "f64"] = .byteStreamSplit
            options.columnEncodings[rep + "i32"] = .byteStreamSplit
            options.columnEncodings[rep + "i64"] = .deltaBinaryPacked
            options.columnEncodings[rep + "u32"] = .deltaBinaryPacked
            options.columnEncodings[rep + "str"] = .deltaByteArray
            options.columnEncodings[rep + "flba"] = .deltaByteArray
            options.columnEncodings[rep + "dec"] = .byteStreamSplit
            options.columnEncodings[rep + "bool"] = .rle
        }
        var rng = SeededRandom(state: 7)
        let columns = allTypesSchema.leaves.map { makeColumn($0, rows: 3000, rng: &rng, distinct: 40) }
        let path = temporaryPath("enc.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: allTypesSchema, options: options)
        try writer.write(columns)
        try writer.close()
        let file = try ParquetFile(path: path)
        for (c, leaf) in file.schema.leaves.enumerated() {
            #expect(try file.readColumn(rowGroup: 0, column: c) == columns[c], "\(leaf.dottedPath)")
            let meta = try #require(file.metadata.rowGroups[0].columns[c].metaData)
            if let chosen = options.columnEncodings[leaf.dottedPath] {
                #expect(meta.encodings.contains(chosen), "\(leaf.dottedPath): \(meta.encodings)")
                #expect(!meta.encodings.contains(.rleDictionary))
            }
        }
    }

    @Test func encodingsThatCannotHoldTheTypeAreRefused() throws {
        var options = WriterOptions()
        options.columnEncodings["x"] = .deltaBinaryPacked
        let schema = try Schema(root: .group("schema", [.leaf("x", .double, .required)]))
        #expect(throws: FloeError.self) { _ = try ParquetWriter(path: temporaryPath("refused.parquet"), schema: schema, options: options) }
    }

    @Test func pageV2DefaultsToDeltaFallbacks() {
        var options = WriterOptions()
        options.pageVersion = 2
        let leaves = allTypesSchema.leaves
        #expect(options.valueEncoding(for: leaves[1]) == .deltaBinaryPacked)
        #expect(options.valueEncoding(for: leaves[6]) == .plain)
        #expect(options.valueEncoding(for: leaves[0]) == .rle)
        #expect(options.valueEncoding(for: leaves[4]) == .plain)
        options.pageVersion = 1
        #expect(options.valueEncoding(for: leaves[1]) == .plain)
    }
}
