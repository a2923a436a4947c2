import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// Inputs found by the fuzz targets (Fuzz/, scripts/fuzz.sh) that crashed Floe. Each input
/// is kept here as bytes; the tests show that it no longer crashes (or, for a bug not yet
/// fixed, run it in a child process and record the crash as a known issue).
@Suite struct VerifyRegressionTests {
    /// The `footer` target, minimised (55 bytes): a FileMetaData whose four schema elements
    /// are `my_record` (claims 3 children), `a` (a group of 0 children), `array` (a repeated
    /// group of 1 child) and `array` (a repeated INT32). The up-front check of
    /// `Schema.readChildren` passes (3 children ≤ 3 elements left), the second child's
    /// subtree consumes the last element, and the third child reads `elements[4]` of 4: a trap.
    static let schemaOverrun: [UInt8] = [
        0x15, 0x02, 0x19, 0x4c, 0x48, 0x09, 0x6d, 0x79, 0x5f, 0x72, 0x65, 0x63,
        0x6f, 0x72, 0x64, 0x15, 0x06, 0x00, 0x35, 0x00, 0x18, 0x01, 0x61, 0x15,
        0x00, 0x00, 0x35, 0x04, 0x18, 0x05, 0x61, 0x72, 0x72, 0x61, 0x79, 0x15,
        0x02, 0x00, 0x15, 0x02, 0x25, 0x04, 0x18, 0x05, 0x61, 0x72, 0x72, 0x61,
        0x79, 0x00, 0x16, 0x02, 0x19, 0x02, 0x00,
    ]

    /// The bytes of a file: magic, `data`, the footer, its length, magic.
    static func file(footer: [UInt8], data: [UInt8] = []) -> [UInt8] {
        var out = Array("PAR1".utf8) + data + footer
        out += withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) }
        out += Array("PAR1".utf8)
        return out
    }

    static func verify(_ bytes: [UInt8]) throws -> VerificationReport {
        let path = temporaryPath("regression.parquet")
        defer { unlink(path) }
        let out = try AtomicFile(path: path)
        try out.write(bytes)
        try out.commit()
        return FileVerifier(options: VerifyOptions(deep: true)).verify(path: path)
    }

    @Test func schemaOverrunIsAFindingForVerify() throws {
        let meta = try FileMetaData(decoding: VerifyRegressionTests.schemaOverrun)
        #expect(meta.schema.map(\.name) == ["my_record", "a", "array", "array"])
        #expect(SchemaRules.treeProblem(meta.schema) != nil)
        let report = try VerifyRegressionTests.verify(VerifyRegressionTests.file(footer: VerifyRegressionTests.schemaOverrun))
        #expect(report.verdict == .corrupt)
        #expect(report.errors.count == 1)
        let e = try #require(report.errors.first)
        #expect(e.message.hasPrefix("the schema is invalid: schema element"), "\(e)")
        #expect(e.message.contains("more children than the 4 elements hold"), "\(e)")
        #expect(e.location.offset == 4)
    }

    /// The reader's schema builder refuses it cleanly (FloeColumns' `Schema.readChildren`
    /// checks the element list before each child), also in a child process.
    @Test func schemaOverrunDoesNotTrapTheReader() async {
        await #expect(processExitsWith: .success) {
            let meta = try FileMetaData(decoding: VerifyRegressionTests.schemaOverrun)
            _ = try? Schema(elements: meta.schema)
        }
        let meta = try? FileMetaData(decoding: VerifyRegressionTests.schemaOverrun)
        #expect(throws: FloeError.self) { try Schema(elements: meta?.schema ?? []) }
    }

    /// The `page` target, minimised (45 bytes): an INT64 element of an optional list of
    /// optional elements (max definition level 3, max repetition level 1), 4 values, 2 rows,
    /// uncompressed; one v1 data page whose repetition levels are 1, 0, 1, 0. The chunk's
    /// first entry continues a record that does not exist, yet the reader decodes it (the row
    /// count, the number of zero repetition levels, matches), handing on levels that
    /// `ColumnData.validate` refuses.
    static let firstRepetitionNotZero: [UInt8] = [
        0x02, 0x02, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x15, 0x00, 0x15, 0x20, 0x15, 0x20, 0x2c, 0x15, 0x08, 0x15, 0x04, 0x15,
        0x06, 0x15, 0x06, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x15, 0x02,
        0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x03, 0xe4, 0x00,
    ]

    /// The page target's column shape 2 (list of optional elements) for INT64.
    static let listSchema = try! Schema(root: .group("schema", [
        .group("l", [.group("list", [.leaf("v", .int64, .optional)], .repeated)], .optional, logicalType: .list),
    ]))

    /// The chunk of `firstRepetitionNotZero` (after its 12-byte header) with its metadata.
    static func listChunk() -> (bytes: [UInt8], meta: ColumnMetaData) {
        let bytes = Array(firstRepetitionNotZero[12...])
        let meta = ColumnMetaData(type: .int64, encodings: [.rle, .plainDictionary], pathInSchema: ["l", "list", "v"],
                                  codec: .uncompressed, numValues: 4, totalUncompressedSize: Int64(bytes.count),
                                  totalCompressedSize: Int64(bytes.count), dataPageOffset: 4)
        return (bytes, meta)
    }

    @Test func firstRepetitionLevelNotZeroIsAFindingForVerify() throws {
        let (bytes, meta) = VerifyRegressionTests.listChunk()
        let schema = VerifyRegressionTests.listSchema
        let footer = FileMetaData(version: 1, schema: schema.elements, numRows: 2, rowGroups: [
            RowGroup(columns: [ColumnChunk(fileOffset: 4, metaData: meta)], totalByteSize: Int64(bytes.count), numRows: 2),
        ])
        let report = try VerifyRegressionTests.verify(VerifyRegressionTests.file(footer: footer.encoded(), data: bytes))
        #expect(report.verdict == .corrupt)
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.message == "the column chunk starts with repetition level 1: its first entry does not start a record")
        #expect(e.location.column == "l.list.v")
        #expect(e.location.rowGroup == 0)
        #expect(e.location.page == 0)
        #expect(e.location.offset == 4)
    }

    /// The reader's chunk decoder refuses a chunk whose first repetition level is not 0.
    @Test func readerRefusesAChunkThatDoesNotStartARecord() throws {
        let (bytes, meta) = VerifyRegressionTests.listChunk()
        let leaf = VerifyRegressionTests.listSchema.leaves[0]
        let error = #expect(throws: FloeError.self) {
            try ColumnChunkProbe.decode(chunk: bytes, descriptor: leaf, metadata: meta, rowCount: 2)
        }
        #expect(error?.message.contains("starts with repetition level 1") == true, "\(String(describing: error))")
    }

    /// A column chunk with num_values 0 in a row group of 3 rows (found by the page target):
    /// refused by the chunk decoder, accepted only when the row group is empty too.
    @Test func emptyChunkInANonEmptyRowGroupIsRefused() throws {
        let leaf = VerifyRegressionTests.listSchema.leaves[0]
        let meta = ColumnMetaData(type: .int64, encodings: [.rle, .plain], pathInSchema: ["l", "list", "v"],
                                  codec: .uncompressed, numValues: 0, totalUncompressedSize: 0,
                                  totalCompressedSize: 0, dataPageOffset: 4)
        let error = #expect(throws: FloeError.self) {
            try ColumnChunkProbe.decode(chunk: [], descriptor: leaf, metadata: meta, rowCount: 3)
        }
        #expect(error?.message == "column chunk holds no values but the row group has 3 rows")
        let empty = try ColumnChunkProbe.decode(chunk: [], descriptor: leaf, metadata: meta, rowCount: 0)
        #expect(empty.rowCount(maxRepetitionLevel: 1) == 0)
    }

    /// Well-formed trees pass the verifier's pre-check, and each way of being malformed is named.
    @Test func schemaTreeCheck() {
        func element(_ name: String, children: Int32? = nil, type: PhysicalType? = .int32) -> SchemaElement {
            var e = SchemaElement(name: name)
            e.numChildren = children
            if children == nil { e.type = type; e.repetitionType = .required } else { e.repetitionType = .optional }
            return e
        }
        let good = [element("root", children: 2), element("g", children: 1), element("x"), element("y")]
        #expect(SchemaRules.treeProblem(good) == nil)
        #expect(SchemaRules.treeProblem([]) == "the schema is empty")
        let short = [element("root", children: 2), element("g", children: 2), element("x"), element("y")]
        #expect(SchemaRules.treeProblem(short) == "schema element 'root' claims 1 more children than the 4 elements hold")
        let extra = good + [element("z")]
        #expect(SchemaRules.treeProblem(extra) == "1 schema element(s) are not reachable from the root")
        let negative = [element("root", children: -1)]
        #expect(SchemaRules.treeProblem(negative) == "schema element 'root' claims -1 children")
    }
}
