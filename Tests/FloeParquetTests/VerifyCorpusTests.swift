import Testing
#if canImport(Glibc)
import Glibc
#endif
import FloeCore
import FloeFormat
import FloeColumns
@testable import FloeParquet

/// `FileVerifier` on every file of the parquet-testing corpus: `data/` files are clean except
/// the ones that are corrupt or refused on purpose, `bad_data/` files are corrupt with the
/// location of the fault.
@Suite struct VerifyCorpusTests {
    /// Every corpus file: `data/*.parquet`, `data/*.parquet.encrypted`, `data/geospatial/`,
    /// `bad_data/*.parquet`, as paths relative to the corpus root.
    static let files: [String] = {
        var out: [String] = []
        for folder in ["data", "data/geospatial", "bad_data"] {
            guard let root = Corpus.root, let dir = opendir(root + "/" + folder) else { continue }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".parquet") || name.hasSuffix(".parquet.encrypted") { out.append(folder + "/" + name) }
            }
            closedir(dir)
        }
        return out.sorted()
    }()

    @Test func corpusIsListed() {
        if Corpus.root != nil || Corpus.isCI {
            #expect(VerifyCorpusTests.files.count >= 70, "found \(VerifyCorpusTests.files.count) corpus files")
        }
    }

    @Test(arguments: files)
    func corpusFileGetsItsVerdict(name: String) throws {
        let path = Corpus.root! + "/" + name
        for deep in [false, true] {
            let report = FileVerifier(options: VerifyOptions(deep: deep)).verify(path: path)
            let context = "\(name) deep=\(deep): \(report.findings)"
            for f in report.findings { #expect(f.location.file == path, "\(context)") }
            #expect(report.size > 0)
            switch name {
            case "data/datapage_v1-corrupt-checksum.parquet":
                #expect(report.verdict == .corrupt, "\(context)")
                let errors = report.errors
                #expect(errors.count == 2, "\(context)")
                #expect(errors.map(\.code) == [.checksumMismatch, .checksumMismatch])
                #expect(errors.map(\.location.column) == ["a", "b"])
                #expect(errors.map(\.location.page) == [0, 1])
                #expect(errors.map(\.location.rowGroup) == [0, 0])
                #expect(errors.map(\.location.offset) == [4, 30808])
            case "data/large_string_map.brotli.parquet":
                #expect(report.verdict == .unsupported, "\(context)")
                #expect(!report.errors.isEmpty && report.errors.allSatisfy { $0.code == .limitExceeded }, "\(context)")
                #expect(report.errors.first?.location.column == "arr.key_value.key")
                #expect(report.errors.first?.location.page == 0)
            case _ where name.hasSuffix(".encrypted"):
                #expect(report.verdict == .unsupported, "\(context)")
                #expect(report.errors.count == 1, "\(context)")
                #expect(report.errors.first?.code == .unsupported)
                #expect(report.errors.first?.message.contains("encrypted files") == true)
            case "bad_data/ARROW-GH-43605.parquet":
                // A dictionary-index run of bit width 0 means every index is 0: readable.
                #expect(report.verdict == .clean, "\(context)")
            case _ where name.hasPrefix("bad_data/"):
                #expect(report.verdict == .corrupt, "\(context)")
                let first = try #require(report.errors.first, "\(context)")
                #expect(first.location.offset != nil, "\(context)")
                if let expected = VerifyCorpusTests.badDataFaults[name] {
                    #expect(first.location.rowGroup == expected.rowGroup, "\(context)")
                    #expect(first.location.column == expected.column, "\(context)")
                    #expect(first.location.page == expected.page, "\(context)")
                    #expect(first.location.offset == expected.offset, "\(context)")
                    #expect(first.message.contains(expected.message), "\(context)")
                } else {
                    Issue.record("no expected fault listed for \(name)")
                }
            default:
                #expect(report.verdict == .clean, "\(context)")
                #expect(report.rows == Int(try ParquetFile(path: path).numRows))
                #expect(report.bytesChecked > 0)
            }
        }
    }

    /// Where the first error of each bad_data file is.
    static let badDataFaults: [String: (rowGroup: Int?, column: String?, page: Int?, offset: Int, message: String)] = [
        "bad_data/PARQUET-1481.parquet": (nil, nil, nil, 289, "invalid physical type -7"),
        "bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet": (0, "name", nil, 129, "outside the data area"),
        "bad_data/ARROW-GH-41317.parquet": (0, "timestamp_us_no_tz", nil, 2923, "the pages hold 0 values but the column chunk metadata says 3"),
        "bad_data/ARROW-GH-41321.parquet": (0, "int64", 1, 1313, "unexpected end of data"),
        "bad_data/ARROW-GH-47662.parquet": (0, "flba_field", 0, 4, "PLAIN fixed-width data needs 100 values"),
    ]

    /// All findings of a file are reported, not just the first: ARROW-GH-41321 has faults in
    /// four column chunks of two row groups.
    @Test func everyFaultOfAFileIsReported() throws {
        guard let root = Corpus.root else { return }
        let report = FileVerifier().verify(path: root + "/bad_data/ARROW-GH-41321.parquet")
        let places = report.errors.map { "\($0.location.rowGroup ?? -1):\($0.location.column ?? "")" }
        #expect(places == ["0:int64", "0:large_binary", "1:fixed_size_list_float64.list.item", "1:map_float32.key_value.value"])
    }

    /// Checking column chunks concurrently finds the same things in the same order.
    @Test func concurrentChunksGiveTheSameReport() async throws {
        guard let root = Corpus.root else { return }
        for name in ["bad_data/ARROW-GH-41321.parquet", "data/datapage_v1-corrupt-checksum.parquet", "data/alltypes_tiny_pages.parquet"] {
            let verifier = FileVerifier(options: VerifyOptions(deep: true))
            let one = verifier.verify(path: root + "/" + name)
            let many = await verifier.verify(path: root + "/" + name, concurrency: 3)
            #expect(many.findings == one.findings, "\(name)")
            #expect(many.bytesChecked == one.bytesChecked, "\(name)")
            #expect(many.rows == one.rows && many.columns == one.columns)
        }
    }

    @Test func checksumsOffPassesTheCorruptChecksumFile() throws {
        guard let root = Corpus.root else { return }
        let path = root + "/data/datapage_v1-corrupt-checksum.parquet"
        let report = FileVerifier(options: VerifyOptions(verifyChecksums: false)).verify(path: path)
        #expect(report.verdict == .clean, "\(report.findings)")
        #expect(report.rows == 5120)
        #expect(report.columns == 2)
        #expect(report.rowGroups == 1)
        // Each column's two pages are read once: everything but the header, footer and page index.
        #expect(report.bytesChecked > 41_000)
    }

    @Test func pageSizeLimitIsConfigurable() throws {
        guard let root = Corpus.root else { return }
        var limits = ReaderLimits()
        limits.maxPageSize = 10
        let report = FileVerifier(options: VerifyOptions(limits: limits)).verify(path: root + "/data/alltypes_plain.parquet")
        #expect(report.verdict == .unsupported)
        #expect(report.errors.allSatisfy { $0.code == .limitExceeded })
        #expect(report.errors.count >= 1)
    }

    @Test func unreadablePathsAreFindingsNotThrows() {
        let missing = FileVerifier().verify(path: "/nonexistent-floe-dir/x.parquet")
        #expect(missing.verdict == .unreadable)
        #expect(missing.errors.map(\.code) == [.io])
        let directory = FileVerifier().verify(path: "/tmp")
        #expect(directory.verdict == .unreadable)
        #expect(directory.errors.first?.message.contains("not a regular file") == true)
    }
}
