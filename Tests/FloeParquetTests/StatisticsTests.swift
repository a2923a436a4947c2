import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

@Suite struct StatisticsTests {
    /// Writes one column and returns its chunk statistics.
    func chunkStatistics(_ node: SchemaNode, _ data: ColumnData, truncate: Int = 64) throws -> (Statistics, ColumnDescriptor) {
        let schema = try Schema(root: .group("schema", [node]))
        var options = WriterOptions()
        options.statisticsTruncateLength = truncate
        let path = temporaryPath("stats.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([data])
        try writer.close()
        let file = try ParquetFile(path: path)
        let meta = try #require(file.metadata.rowGroups[0].columns[0].metaData)
        return (try #require(meta.statistics), schema.leaves[0])
    }

    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    @Test func signedAndUnsignedIntegers() throws {
        let values: [Int32] = [-5, 7, 0, -1]
        let (signed, _) = try chunkStatistics(.leaf("x", .int32, .optional), ColumnData(values: .int32(values), definitionLevels: [1, 1, 0, 1, 1]))
        #expect(signed.minValue == le(Int32(-5)))
        #expect(signed.maxValue == le(Int32(7)))
        #expect(signed.min == le(Int32(-5)))
        #expect(signed.nullCount == 1)
        // As UINT_32, -1 is 4294967295, the largest; 0 the smallest. Legacy fields are not written.
        let (unsigned, _) = try chunkStatistics(.leaf("x", .int32, .required, logicalType: .integer(bitWidth: 32, isSigned: false)),
                                                ColumnData(values: .int32(values)))
        #expect(unsigned.minValue == le(UInt32(0)))
        #expect(unsigned.maxValue == le(UInt32.max))
        #expect(unsigned.min == nil && unsigned.max == nil)
        let (u64, _) = try chunkStatistics(.leaf("x", .int64, .required, logicalType: .integer(bitWidth: 64, isSigned: false)),
                                           ColumnData(values: .int64([Int64.min, 3, -1])))
        #expect(u64.minValue == le(UInt64(3)))
        #expect(u64.maxValue == le(UInt64.max))
    }

    @Test func nanIsNeverMinOrMaxAndZerosAreSigned() throws {
        let (d, _) = try chunkStatistics(.leaf("d", .double, .required), ColumnData(values: .double([.nan, 0.0, 2.5, -0.0, .nan])))
        #expect(d.minValue == le((-0.0 as Double).bitPattern))
        #expect(d.maxValue == le((2.5 as Double).bitPattern))
        let (z, _) = try chunkStatistics(.leaf("d", .double, .required), ColumnData(values: .double([0.0, -0.0])))
        #expect(z.minValue == le((-0.0 as Double).bitPattern))
        #expect(z.maxValue == le((0.0 as Double).bitPattern))
        let (nan, _) = try chunkStatistics(.leaf("f", .float, .required), ColumnData(values: .float([.nan, .nan])))
        #expect(nan.minValue == nil && nan.maxValue == nil)
        #expect(nan.nullCount == 0)
        let (inf, _) = try chunkStatistics(.leaf("f", .float, .required), ColumnData(values: .float([-.infinity, 1, .infinity])))
        #expect(inf.minValue == le((-Float.infinity).bitPattern))
        #expect(inf.maxValue == le(Float.infinity.bitPattern))
    }

    @Test func float16OrdersAsNumbers() throws {
        // 1.0 = 0x3C00, -2.0 = 0xC000, NaN = 0x7E00: min -2, max 1.
        let bytes: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x7E]
        let (s, _) = try chunkStatistics(.leaf("h", .fixedLenByteArray, .required, logicalType: .float16, typeLength: 2),
                                         ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 2, bytes: bytes))))
        #expect(s.minValue == [0x00, 0xC0])
        #expect(s.maxValue == [0x00, 0x3C])
    }

    @Test func byteArraysCompareUnsignedAndTruncate() throws {
        let strings = ["b", "\u{00e9}t\u{00e9}", "a" + String(repeating: "z", count: 100), "abc"]
        let (s, _) = try chunkStatistics(.leaf("s", .byteArray, .required, logicalType: .string),
                                         ColumnData(values: .byteArray(BinaryValues(strings.map { Array($0.utf8) }))), truncate: 8)
        // Unsigned byte order puts "é…" (0xC3…) last; the long string is truncated for min.
        #expect(s.minValue == Array("abc".utf8))
        #expect(s.maxValue == Array("\u{00e9}t\u{00e9}".utf8))
        #expect(s.isMinValueExact == true)
        let (t, _) = try chunkStatistics(.leaf("s", .byteArray, .required, logicalType: .string),
                                         ColumnData(values: .byteArray(BinaryValues([Array(("a" + String(repeating: "z", count: 100)).utf8)]))), truncate: 8)
        #expect(t.minValue == Array("azzzzzzz".utf8))
        #expect(t.isMinValueExact == false)
        // The max is the smallest 8-byte string above every "azzzzzzz…": "a" then z+1 = "{".
        #expect(t.maxValue == Array("azzzzzz{".utf8))
        #expect(t.isMaxValueExact == false)
    }

    @Test func decimalsOnFixedBytesCompareSigned() throws {
        // Big-endian two's complement: -1 (FF FF) < 1 (00 01) although FF > 00 as bytes.
        let (s, _) = try chunkStatistics(.leaf("d", .fixedLenByteArray, .required, logicalType: .decimal(scale: 0, precision: 4), typeLength: 2),
                                         ColumnData(values: .fixedLenByteArray(FixedWidthValues(width: 2, bytes: [0x00, 0x01, 0xFF, 0xFF]))))
        #expect(s.minValue == [0xFF, 0xFF])
        #expect(s.maxValue == [0x00, 0x01])
        #expect(StatisticsBuilder.signedBigEndianLess([0xFF][...], [0x00, 0x00][...]))
        #expect(!StatisticsBuilder.signedBigEndianLess([0x01, 0x00][...], [0x7F][...]))
    }

    @Test func pageStatisticsAreWrittenAndAllNullPagesHaveNoMinMax() throws {
        let schema = try Schema(root: .group("schema", [.leaf("x", .int64, .optional)]))
        var options = WriterOptions()
        options.dataPageRowLimit = 2
        let path = temporaryPath("pagestats.parquet")
        defer { unlink(path) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([ColumnData(values: .int64([5, 9]), definitionLevels: [0, 0, 1, 1])])
        try writer.close()
        let file = try ParquetFile(path: path)
        let pages = try file.pageHeaders(rowGroup: 0, column: 0).filter { $0.header.type == .dataPage }
        #expect(pages.count == 2)
        let first = try #require(pages[0].header.dataPageHeader?.statistics)
        #expect(first.nullCount == 2 && first.minValue == nil)
        let second = try #require(pages[1].header.dataPageHeader?.statistics)
        #expect(second.minValue == le(Int64(5)) && second.maxValue == le(Int64(9)))
    }
}
