import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeCodecs
import FloeEncodings
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// Files written by `ParquetWriter` verify clean with `--deep`; then each is damaged in one
/// specific way and the verifier must name the fault and where it is.
@Suite struct VerifyMutationTests {
    static let schema: Schema = try! Schema(root: .group("schema", [
        .leaf("id", .int64, .required),
        .leaf("name", .byteArray, .optional, logicalType: .string),
        .leaf("score", .double, .optional),
    ]))

    /// Two row groups of 3000 rows, pages of 500 rows, CRCs, statistics and the page index.
    static func writeSample(pageVersion: Int = 1, dictionary: Bool = true, codec: CompressionKind = .snappy) throws -> (path: String, bytes: [UInt8]) {
        var options = WriterOptions()
        options.pageVersion = pageVersion
        options.dictionary = dictionary
        options.codec = codec
        options.dataPageRowLimit = 500
        options.rowGroupRowLimit = 3000
        options.bloomFilterColumns = ["id", "name"]
        let rows = 6000
        let ids = (0..<rows).map { Int64($0) * 3 }
        let nameLevels: [UInt8] = (0..<rows).map { $0 % 7 == 0 ? 0 : 1 }
        let names = (0..<rows).filter { $0 % 7 != 0 }.map { Array("name-\($0 % 40)".utf8) }
        let scoreLevels: [UInt8] = (0..<rows).map { $0 % 5 == 0 ? 0 : 1 }
        let scores = (0..<rows).filter { $0 % 5 != 0 }.map { Double($0) / 8 - 100 }
        let path = temporaryPath("verify.parquet")
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write([ColumnData(values: .int64(ids)),
                          ColumnData(values: .byteArray(BinaryValues(names)), definitionLevels: nameLevels),
                          ColumnData(values: .double(scores), definitionLevels: scoreLevels)])
        try writer.close()
        return (path, try readAll(path))
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let file = try RandomAccessFile(path: path)
        return try file.read(offset: 0, count: file.size)
    }

    static func writeAll(_ bytes: [UInt8], to path: String) throws {
        let out = try AtomicFile(path: path)
        try out.write(bytes)
        try out.commit()
    }

    /// The footer and where it starts.
    static func footer(_ bytes: [UInt8]) throws -> (meta: FileMetaData, offset: Int) {
        let n = bytes.count
        let length = Int(UInt32(bytes[n - 8]) | UInt32(bytes[n - 7]) << 8 | UInt32(bytes[n - 6]) << 16 | UInt32(bytes[n - 5]) << 24)
        let offset = n - 8 - length
        return (try FileMetaData(decoding: Array(bytes[offset..<(n - 8)])), offset)
    }

    /// The file's data area, then `extra`, then `meta` as the footer.
    static func replacingFooter(_ bytes: [UInt8], with meta: FileMetaData, dataEnd: Int, extra: [UInt8] = []) -> [UInt8] {
        let encoded = meta.encoded()
        var out = Array(bytes[0..<dataEnd]) + extra + encoded
        out += withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { Array($0) }
        out += Array("PAR1".utf8)
        return out
    }

    static func verify(_ bytes: [UInt8], deep: Bool = true, checksums: Bool = true) throws -> VerificationReport {
        let path = temporaryPath("mutant.parquet")
        defer { unlink(path) }
        try writeAll(bytes, to: path)
        return FileVerifier(options: VerifyOptions(deep: deep, verifyChecksums: checksums)).verify(path: path)
    }

    @Test(arguments: [1, 2], [true, false])
    func writtenFilesVerifyClean(pageVersion: Int, dictionary: Bool) throws {
        let (path, _) = try VerifyMutationTests.writeSample(pageVersion: pageVersion, dictionary: dictionary)
        defer { unlink(path) }
        let report = FileVerifier(options: VerifyOptions(deep: true)).verify(path: path)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.verdict == .clean)
        #expect(report.rows == 6000)
        #expect(report.rowGroups == 2)
        #expect(report.columns == 3)
        #expect(report.bytesChecked > 0 && report.bytesChecked <= report.size)
    }

    @Test func flippedByteInAPageBodyIsACRCMismatch() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        let file = try ParquetFile(path: path)
        let pages = try file.pageHeaders(rowGroup: 1, column: 2)
        let page = pages[3]
        var mutant = bytes
        mutant[page.offset + page.headerLength + Int(page.header.compressedPageSize) / 2] ^= 0x10
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.verdict == .corrupt)
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.code == .checksumMismatch)
        #expect(e.location.rowGroup == 1)
        #expect(e.location.column == "score")
        #expect(e.location.page == 3)
        #expect(e.location.offset == page.offset)
        // Without CRCs the same flip may decode to other values: nothing to see.
        let unchecked = try VerifyMutationTests.verify(mutant, deep: false, checksums: false)
        #expect(!unchecked.errors.contains { $0.code == .checksumMismatch })
    }

    @Test func twoDamagedChunksAreBothReported() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample(dictionary: false)
        defer { unlink(path) }
        let file = try ParquetFile(path: path)
        var mutant = bytes
        for (g, c) in [(0, 0), (1, 1)] {
            let page = try file.pageHeaders(rowGroup: g, column: c)[1]
            mutant[page.offset + page.headerLength + 3] ^= 0xFF
        }
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.errors.map(\.code) == [.checksumMismatch, .checksumMismatch])
        #expect(report.errors.map(\.location.rowGroup) == [0, 1])
        #expect(report.errors.map(\.location.column) == ["id", "name"])
        #expect(report.errors.map(\.location.page) == [1, 1])
    }

    @Test func truncatedFileLosesItsMagic() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        for keep in [bytes.count - 1, bytes.count / 2, 11, 0] {
            let report = try VerifyMutationTests.verify(Array(bytes[0..<keep]))
            #expect(report.verdict == .corrupt)
            let e = try #require(report.errors.first)
            #expect(e.code == .corrupt)
            if keep >= 12 {
                #expect(e.message.contains("missing PAR1 magic at the end"), "\(e)")
                #expect(e.location.offset == keep - 4)
            } else {
                #expect(e.message.contains("too small"), "\(e)")
            }
        }
    }

    @Test func footerLengthTooLarge() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        var mutant = bytes
        let n = mutant.count
        let claimed = UInt32(n - 11)
        for i in 0..<4 { mutant[n - 8 + i] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt32(i))) }
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.verdict == .corrupt)
        #expect(report.errors.count == 1)
        let e = try #require(report.errors.first)
        #expect(e.message == "footer length \(n - 11) does not fit in a file of \(n) bytes (at most \(n - 12))")
        #expect(e.location.offset == n - 8)
    }

    @Test func overlappingChunkRanges() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample(dictionary: false)
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        let first = try #require(meta.rowGroups[0].columns[0].metaData)
        // Column 'name' now starts 10 bytes before column 'id' ends.
        let moved = first.dataPageOffset + first.totalCompressedSize - 10
        meta.rowGroups[0].columns[1].metaData?.dataPageOffset = moved
        meta.rowGroups[0].columns[1].metaData?.dictionaryPageOffset = nil
        let report = try VerifyMutationTests.verify(VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset))
        #expect(report.verdict == .corrupt)
        let overlap = try #require(report.errors.first { $0.message.contains("overlap") }, "\(report.findings)")
        #expect(overlap.location.rowGroup == 0)
        #expect(overlap.location.column == "name")
        #expect(overlap.location.offset == Int(moved))
        #expect(overlap.message.contains("row group 0 column id"))
        // The moved chunk no longer starts with a page header it can use; the other chunks are fine.
        #expect(report.errors.allSatisfy { $0.location.column == "name" && $0.location.rowGroup == 0 }, "\(report.findings)")
    }

    @Test func footerRowCountThatLies() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        meta.numRows += 1
        let report = try VerifyMutationTests.verify(VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset))
        #expect(report.errors.map(\.message) == ["the row groups hold 6000 rows but the footer says 6001"])
        #expect(report.errors.first?.location.offset == footerOffset)
    }

    @Test func statisticsThatLie() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        // Row group 1 holds ids 9000...17997; claim the smallest is 9003.
        let lie = withUnsafeBytes(of: Int64(9003).littleEndian) { Array($0) }
        meta.rowGroups[1].columns[0].metaData?.statistics?.minValue = lie
        meta.rowGroups[1].columns[0].metaData?.statistics?.min = lie
        // And row group 0's score column claims one null too many.
        let nulls = try #require(meta.rowGroups[0].columns[2].metaData?.statistics?.nullCount)
        meta.rowGroups[0].columns[2].metaData?.statistics?.nullCount = nulls + 1
        let mutant = VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset)
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.errors.count == 2, "\(report.findings)")
        #expect(report.errors.map(\.message) == [
            "chunk statistics null_count is \(nulls + 1) but the column chunk holds \(nulls) nulls",
            "chunk statistics min 9003 is above the smallest value 9000",
        ])
        #expect(report.errors.map(\.location.rowGroup) == [0, 1])
        #expect(report.errors.map(\.location.column) == ["score", "id"])
        // Statistics are a deep check.
        #expect(try VerifyMutationTests.verify(mutant, deep: false).findings.isEmpty)
    }

    @Test func offsetIndexPointingToTheWrongPlace() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        let file = try ParquetFile(path: path)
        var index = try #require(try file.offsetIndex(rowGroup: 0, column: 1))
        let truePage = index.pageLocations[2]
        index.pageLocations[2].offset += 7
        // The patched index goes after the data; the footer points at it.
        let encoded = index.encoded()
        meta.rowGroups[0].columns[1].offsetIndexOffset = Int64(footerOffset)
        meta.rowGroups[0].columns[1].offsetIndexLength = Int32(encoded.count)
        let mutant = VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset, extra: encoded)
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.message == "offset index entry 2 says offset \(truePage.offset + 7), the page is at \(truePage.offset)")
        #expect(e.location.rowGroup == 0)
        #expect(e.location.column == "name")
        #expect(e.location.page == 3)  // after the dictionary page
        #expect(e.location.offset == Int(truePage.offset))
    }

    @Test func columnIndexThatLies() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        let file = try ParquetFile(path: path)
        var index = try #require(try file.columnIndex(rowGroup: 1, column: 2))
        // Page 4's max drops below its largest value.
        let max = index.maxValues[4].withUnsafeBytes { $0.loadUnaligned(as: Double.self) }
        index.maxValues[4] = withUnsafeBytes(of: (max - 1).bitPattern.littleEndian) { Array($0) }
        let encoded = index.encoded()
        meta.rowGroups[1].columns[2].columnIndexOffset = Int64(footerOffset)
        meta.rowGroups[1].columns[2].columnIndexLength = Int32(encoded.count)
        let report = try VerifyMutationTests.verify(VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset, extra: encoded))
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.message == "column index entry 4 max \(max - 1) is below the largest value \(max)")
        #expect(e.location.rowGroup == 1)
        #expect(e.location.column == "score")
        #expect(e.location.page == 5)
    }

    @Test func bloomFilterThatLacksValues() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample()
        defer { unlink(path) }
        let (meta, _) = try VerifyMutationTests.footer(bytes)
        let chunk = try #require(meta.rowGroups[1].columns[1].metaData)
        let offset = Int(try #require(chunk.bloomFilterOffset))
        let (numBytes, headerLength) = try SplitBlockBloomFilter.readHeader(from: Array(bytes[offset...]), baseOffset: offset)
        // Clear the second half of the bitset: the values hashed there go missing.
        var mutant = bytes
        for i in (offset + headerLength + numBytes / 2)..<(offset + headerLength + numBytes) { mutant[i] = 0 }
        let report = try VerifyMutationTests.verify(mutant)
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.message.hasPrefix("bloom filter lacks "), "\(e)")
        #expect(e.message.contains("of the column chunk's 2571 values"), "\(e)")
        #expect(e.location.rowGroup == 1)
        #expect(e.location.column == "name")
        #expect(e.location.offset == offset)
        // Only --deep reads bloom filters.
        #expect(try VerifyMutationTests.verify(mutant, deep: false).findings.isEmpty)
    }

    @Test func chunkSizeThatCutsThePages() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample(dictionary: false)
        defer { unlink(path) }
        var (meta, footerOffset) = try VerifyMutationTests.footer(bytes)
        meta.rowGroups[0].columns[0].metaData?.totalCompressedSize -= 5
        let report = try VerifyMutationTests.verify(VerifyMutationTests.replacingFooter(bytes, with: meta, dataEnd: footerOffset))
        #expect(report.errors.count == 1, "\(report.findings)")
        let e = try #require(report.errors.first)
        #expect(e.message.contains("runs past the end of the column chunk"), "\(e)")
        #expect(e.location.column == "id")
        #expect(e.location.page == 5)
    }

    /// Seeded single-byte flips of a file with checksums: never a crash, and every flip inside
    /// a page body is found (the CRC covers it).
    @Test func seededFlipsOfPageBodiesAreAllFound() throws {
        let (path, bytes) = try VerifyMutationTests.writeSample(codec: .zstd)
        defer { unlink(path) }
        let file = try ParquetFile(path: path)
        var bodies: [Range<Int>] = []
        for g in 0..<file.rowGroupCount {
            for c in 0..<3 {
                for p in try file.pageHeaders(rowGroup: g, column: c) {
                    let start = p.offset + p.headerLength
                    bodies.append(start..<(start + Int(p.header.compressedPageSize)))
                }
            }
        }
        var rng = SeededRandom(state: 7)
        var inBody = 0, detectedInBody = 0, elsewhere = 0, detectedElsewhere = 0
        for _ in 0..<300 {
            var mutant = bytes
            let at = Int(rng.next() % UInt64(bytes.count))
            mutant[at] ^= UInt8(truncatingIfNeeded: rng.next() % 255 + 1)
            let report = try VerifyMutationTests.verify(mutant, deep: true)
            if bodies.contains(where: { $0.contains(at) }) {
                inBody += 1
                if !report.isClean { detectedInBody += 1 }
            } else {
                elsewhere += 1
                if !report.isClean { detectedElsewhere += 1 }
            }
        }
        print("verify flips: \(inBody) in page bodies (\(detectedInBody) found), \(elsewhere) elsewhere (\(detectedElsewhere) found)")
        #expect(inBody > 100)
        #expect(detectedInBody == inBody)
    }
}
