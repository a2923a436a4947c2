import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// The parquet-testing corpus, read in place from `../shared/parquet-testing` beside the
/// repository (or `PARQUET_TESTING`). Missing locally: tests are skipped; missing under CI: fail.
enum Corpus {
    static let root: String? = {
        if let env = getenv("PARQUET_TESTING") { return String(cString: env) }
        var dir = #filePath
        while let slash = dir.lastIndex(of: "/") {
            dir = String(dir[..<slash])
            if access(dir + "/Package.swift", F_OK) == 0 { break }
        }
        let path = dir + "/../shared/parquet-testing"
        return access(path + "/data", F_OK) == 0 ? path : nil
    }()

    static var isCI: Bool { getenv("CI").map { String(cString: $0) } == "true" }

    static func files(_ folder: String) -> [String] {
        guard let root, let dir = opendir(root + "/" + folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".parquet") { names.append(name) }
        }
        return names.sorted()
    }

    static func path(_ folder: String, _ name: String) -> String { (root ?? "") + "/" + folder + "/" + name }
}

@Suite struct CorpusTests {
    @Test func corpusIsPresentUnderCI() {
        if Corpus.isCI { #expect(Corpus.root != nil, "CI=true but ../shared/parquet-testing is missing") }
    }

    /// Every file of data/ opens and every column of every row group decodes with the footer's
    /// row counts — except the features that are refused on purpose, with a clear error.
    @Test(arguments: Corpus.files("data"))
    func dataFileReads(name: String) throws {
        let path = Corpus.path("data", name)
        let refused = ["datapage_v1-corrupt-checksum.parquet": FloeError.Code.checksumMismatch,
                       "large_string_map.brotli.parquet": .limitExceeded]
        do {
            let file = try ParquetFile(path: path)
            var rows = 0
            for g in 0..<file.rowGroupCount {
                for c in file.schema.leaves.indices {
                    let data = try file.readColumn(rowGroup: g, column: c)
                    #expect(data.rowCount(maxRepetitionLevel: file.schema.leaves[c].maxRepetitionLevel) == file.rowCount(ofRowGroup: g))
                }
                rows += file.rowCount(ofRowGroup: g)
            }
            #expect(rows == file.numRows)
            #expect(refused[name] == nil, "\(name) should have been refused")
        } catch {
            let expected = refused[name] ?? .unsupported
            #expect(error.code == expected, "\(name): \(error)")
            #expect(error.location.file == path)
        }
    }

    @Test(arguments: Corpus.files("bad_data"))
    func badFileFailsCleanly(name: String) throws {
        let path = Corpus.path("bad_data", name)
        do {
            let file = try ParquetFile(path: path)
            for g in 0..<file.rowGroupCount {
                for c in file.schema.leaves.indices { _ = try file.readColumn(rowGroup: g, column: c) }
            }
            // A dictionary-index run of bit width 0 means every index is 0: readable.
            #expect(name == "ARROW-GH-43605.parquet", "\(name) read without error")
        } catch {
            #expect(name != "ARROW-GH-43605.parquet", "\(error)")
            #expect(error.isDataError, "\(name): \(error)")
            #expect(error.location.file == path)
        }
    }

    @Test func checksumsVerify() throws {
        guard Corpus.root != nil else { return }
        for name in ["datapage_v1-uncompressed-checksum.parquet", "datapage_v1-snappy-compressed-checksum.parquet",
                     "plain-dict-uncompressed-checksum.parquet", "rle-dict-snappy-checksum.parquet"] {
            let file = try ParquetFile(path: Corpus.path("data", name))
            for c in file.schema.leaves.indices { _ = try file.readColumn(rowGroup: 0, column: c) }
            let pages = try file.pageHeaders(rowGroup: 0, column: 0)
            // Every page of these files has a CRC, except the v2 data page of rle-dict-snappy.
            let withCRC = pages.filter { $0.header.crc != nil }.count
            #expect(withCRC == pages.count - (name.hasPrefix("rle-dict") ? 1 : 0), "\(name)")
        }
        let corrupt = try ParquetFile(path: Corpus.path("data", "datapage_v1-corrupt-checksum.parquet"))
        for (column, page) in [(0, 0), (1, 1)] {
            do {
                _ = try corrupt.readColumn(rowGroup: 0, column: column)
                Issue.record("column \(column) read despite a bad CRC")
            } catch {
                #expect(error.code == .checksumMismatch)
                #expect(error.location.page == page)
                #expect(error.location.column == ["a", "b"][column])
            }
        }
        // Verification off: the values decode.
        var limits = ReaderLimits()
        limits.verifyChecksums = false
        let unchecked = try ParquetFile(path: Corpus.path("data", "datapage_v1-corrupt-checksum.parquet"), limits: limits)
        #expect(try unchecked.readColumn(rowGroup: 0, column: 0).values.count == 5120)
    }

    @Test func encryptedFilesAreRefused() throws {
        guard Corpus.root != nil else { return }
        for name in ["uniform_encryption.parquet.encrypted", "encrypt_columns_plaintext_footer.parquet.encrypted"] {
            do {
                let file = try ParquetFile(path: Corpus.path("data", name))
                for c in file.schema.leaves.indices { _ = try file.readColumn(rowGroup: 0, column: c) }
                Issue.record("\(name) was read")
            } catch {
                #expect(error.code == .unsupported)
                #expect(error.message.contains("encrypted files are not supported"), "\(error)")
            }
        }
    }
}
