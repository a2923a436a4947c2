import Testing
import FloeCore
import FloeFormat
@testable import FloeParquet

/// `ParquetFile.rowCounts(path:)` (the footer's row counts only, for count(*)) against the full
/// footer decode, over the whole corpus — including the files a reader must refuse — and over
/// seeded truncations of a footer.
@Suite struct FooterRowCountTests {
    @Test(arguments: ["data", "bad_data"])
    func rowCountsAgreeWithTheFullFooter(folder: String) throws {
        let names = Corpus.files(folder)
        if Corpus.root != nil { #expect(!names.isEmpty) }
        for name in names {
            let path = Corpus.path(folder, name)
            let light = Result { () throws(FloeError) in try ParquetFile.rowCounts(path: path).counts }
            let full = Result { () throws(FloeError) in try ParquetFile(path: path) }
            switch (light, full) {
            case (.success(let counts), .success(let file)):
                #expect(counts.numRows == file.metadata.numRows, "\(name)")
                #expect(counts.rowGroups == file.metadata.rowGroups.map(\.numRows), "\(name)")
            case (.failure, .success):
                Issue.record("\(name): the row counts were refused but the full footer opens")
            case (.success, .failure(let error)):
                // Only what the light read does not look at (the schema, the column chunks) may
                // make the full open refuse a file whose row counts read.
                #expect(!error.message.contains("footer length") && !error.message.contains("PAR1"), "\(name): \(error)")
            case (.failure, .failure):
                break
            }
        }
    }

    @Test func truncatedAndFlippedFootersAreRefusedNotTrapped() throws {
        let path = temporaryPath("row-counts.parquet")
        let writer = try ParquetWriter(path: path, schema: VerifyCorruptionTests.schema(nested: true))
        try writer.write(VerifyCorruptionTests.columns(rows: 500, nested: true))
        try writer.close()
        let bytes = try VerifyMutationTests.readAll(path)
        let good = try ParquetFile.rowCounts(path: path).counts
        #expect(good.numRows == 500 && good.rowGroups == [500])
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let footerStart = bytes.count - 8 - footerLength
        var refused = 0
        for cut in stride(from: footerStart, to: bytes.count - 8, by: 7) {
            // The footer shortened (its length field kept consistent) or a byte of it flipped.
            var short = Array(bytes[..<cut]) + Array(bytes[(bytes.count - 8)...])
            let newLength = cut - footerStart
            short[short.count - 8] = UInt8(newLength & 0xFF)
            short[short.count - 7] = UInt8((newLength >> 8) & 0xFF)
            short[short.count - 6] = UInt8((newLength >> 16) & 0xFF)
            short[short.count - 5] = 0
            var flipped = bytes
            flipped[cut] ^= 0x5A
            for mutant in [short, flipped] {
                let p = temporaryPath("row-counts-mutant.parquet")
                try VerifyMutationTests.writeAll(mutant, to: p)
                do { _ = try ParquetFile.rowCounts(path: p) } catch { refused += 1 }
            }
        }
        #expect(refused > 0)
    }
}
