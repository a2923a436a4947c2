import Foundation
import Testing
import FloeCore
import FloeEncodings
import FloeColumns
import FloeParquet
@testable import FloeScan

/// A file for the reads that skip decoding: a GROUP BY column read as dictionary codes, and
/// count(x) answered from the footer's null counts.
///
/// Columns: `k` string (40 values, null every 11th row), `m` string without nulls, `n` string
/// (null every 3rd row), `r` required string, `wide` string with thousands of distinct values
/// (its dictionary overflows and falls back to PLAIN within a chunk).
final class EncodedFixture {
    let dir: String
    let path: String
    let rows: Int

    static func k(_ i: Int) -> String? { i % 11 == 0 ? nil : "key-\((i * 7) % 40)" }
    static func m(_ i: Int) -> String { "m\(i % 13)" }
    static func n(_ i: Int) -> String? { i % 3 == 0 ? nil : "n\(i % 5)" }
    static func r(_ i: Int) -> String { "r\(i % 4)" }
    static func wide(_ i: Int) -> String { "wide-value-\((i * 31) % 6000)-" + String(repeating: "w", count: i % 17) }

    init(rows: Int = 20_000, dictionary: Bool, statistics: Bool) throws {
        self.rows = rows
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-encoded-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/encoded.parquet"
        let schema = try Schema(root: .group("schema", [
            .leaf("k", .byteArray, .optional, logicalType: .string),
            .leaf("m", .byteArray, .optional, logicalType: .string),
            .leaf("n", .byteArray, .optional, logicalType: .string),
            .leaf("r", .byteArray, .required, logicalType: .string),
            .leaf("wide", .byteArray, .optional, logicalType: .string),
        ]))
        var options = WriterOptions()
        options.rowGroupRowLimit = 7000
        options.dataPageRowLimit = 1000
        options.dictionary = dictionary
        options.dictionaryPageSizeLimit = 16 << 10
        options.statistics = statistics
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var k = BinaryValues(), kd: [UInt8] = [], m = BinaryValues(), n = BinaryValues(), nd: [UInt8] = []
        var r = BinaryValues(), wide = BinaryValues()
        for i in 0..<rows {
            if let s = EncodedFixture.k(i) { k.append(Array(s.utf8)); kd.append(1) } else { kd.append(0) }
            m.append(Array(EncodedFixture.m(i).utf8))
            if let s = EncodedFixture.n(i) { n.append(Array(s.utf8)); nd.append(1) } else { nd.append(0) }
            r.append(Array(EncodedFixture.r(i).utf8))
            wide.append(Array(EncodedFixture.wide(i).utf8))
        }
        try writer.write([
            ColumnData(values: .byteArray(k), definitionLevels: kd),
            ColumnData(values: .byteArray(m), definitionLevels: [UInt8](repeating: 1, count: rows)),
            ColumnData(values: .byteArray(n), definitionLevels: nd),
            ColumnData(values: .byteArray(r)),
            ColumnData(values: .byteArray(wide), definitionLevels: [UInt8](repeating: 1, count: rows)),
        ])
        try writer.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// The expected rows of `SELECT key, count(*), count(n)… GROUP BY key` by brute force, as
    /// canonical JSON, sorted.
    func grouped(by key: (Int) -> String?, where keep: (Int) -> Bool = { _ in true },
                 counting columns: [(Int) -> String?], sorted: Bool = true) -> [[String]] {
        var order: [String?] = []
        var counts: [String?: [Int]] = [:]
        for i in 0..<rows where keep(i) {
            let g = key(i)
            if counts[g] == nil { order.append(g); counts[g] = [Int](repeating: 0, count: columns.count + 1) }
            counts[g]?[0] += 1
            for (c, column) in columns.enumerated() where column(i) != nil { counts[g]?[c + 1] += 1 }
        }
        let rows = order.map { g in
            [g.map { "\"\($0)\"" } ?? "null"] + (counts[g] ?? []).map(String.init)
        }
        return sorted ? rows.sorted { $0.lexicographicallyPrecedes($1) } : rows
    }
}

private func sortedRows(_ sql: String, _ path: String, workers: Int = 2) throws -> (rows: [[String]], stats: ScanStats) {
    let r = try run(sql, path, options(workers: workers))
    return (r.rows.sorted { $0.lexicographicallyPrecedes($1) }, r.stats)
}

@Suite struct EncodedReadTests {
    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func groupingAndCountsMatchBruteForce(dictionary: Bool, statistics: Bool) throws {
        let f = try EncodedFixture(dictionary: dictionary, statistics: statistics)
        let expected = f.grouped(by: EncodedFixture.k, counting: [{ EncodedFixture.m($0) }, EncodedFixture.n, { EncodedFixture.r($0) }])
        for workers in [1, 2] {
            let got = try sortedRows("SELECT k, count(*), count(m), count(n), count(r) FROM {} GROUP BY k", f.path, workers: workers)
            #expect(got.rows == expected)
        }
        // The key also counted, and the key as the count argument only.
        let selfCount = try sortedRows("SELECT k, count(k) FROM {} GROUP BY 1", f.path)
        #expect(selfCount.rows == f.grouped(by: EncodedFixture.k, counting: [EncodedFixture.k]).map { [$0[0], $0[2]] }
            .sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func groupsComeInTheOrderOfTheirFirstRows() throws {
        // Without ORDER BY, one worker: the order of first appearance, as row-by-row grouping gives.
        let f = try EncodedFixture(dictionary: true, statistics: true)
        let got = try run("SELECT k, count(*), count(m) FROM {} GROUP BY k", f.path, options(workers: 1))
        #expect(got.rows == f.grouped(by: EncodedFixture.k, counting: [{ EncodedFixture.m($0) }], sorted: false))
    }

    @Test(arguments: [true, false])
    func aDictionaryThatFallsBackMidChunkGroupsCorrectly(statistics: Bool) throws {
        let f = try EncodedFixture(dictionary: true, statistics: statistics)
        let file = try ParquetFile(path: f.path)
        let handle = try RandomAccessFile(path: f.path)
        // The fixture's premise: `wide` mixes dictionary and PLAIN pages; `k` is all dictionary.
        let wide = try file.readColumnKeepingCodes(rowGroup: 0, column: 4, from: handle)
        #expect(wide.codes == nil)
        #expect(wide.data.values.count == 7000)
        let k = try file.readColumnKeepingCodes(rowGroup: 0, column: 0, from: handle)
        #expect(k.codes != nil && k.data.values.count == 0)
        #expect(k.codes?.codes.count == (0..<7000).filter { EncodedFixture.k($0) != nil }.count)
        #expect(try file.readColumn(rowGroup: 0, column: 0).values.count == k.codes?.codes.count)

        let got = try sortedRows("SELECT wide, count(*) FROM {} GROUP BY wide", f.path)
        #expect(got.rows == f.grouped(by: { EncodedFixture.wide($0) }, counting: []))
    }

    @Test func aFilteredGroupingReadsValuesAndAgrees() throws {
        let f = try EncodedFixture(dictionary: true, statistics: true)
        let keep = { (i: Int) in EncodedFixture.r(i) == "r3" }
        let got = try sortedRows("SELECT k, count(*), count(n) FROM {} WHERE r = 'r3' GROUP BY k", f.path)
        #expect(got.rows == f.grouped(by: EncodedFixture.k, where: keep, counting: [EncodedFixture.n]))
        // A key that is also filtered on, and a HAVING over the groups.
        let both = try sortedRows("SELECT k, count(*) FROM {} WHERE k <> 'key-0' GROUP BY k HAVING count(*) > 10", f.path)
        let expected = f.grouped(by: EncodedFixture.k, where: { EncodedFixture.k($0).map { $0 != "key-0" } ?? false }, counting: [])
            .filter { Int($0[1]) ?? 0 > 10 }
        #expect(both.rows == expected)
    }

    @Test func countOfAColumnWithoutNullsReadsNothingOfIt() throws {
        let withStats = try EncodedFixture(dictionary: true, statistics: true)
        let keyOnly = try run("SELECT k, count(*) FROM {} GROUP BY k", withStats.path).stats.bytesRead
        let counted = try run("SELECT k, count(m), count(r) FROM {} GROUP BY k", withStats.path).stats.bytesRead
        #expect(counted == keyOnly)
        // With nulls (n), or without statistics, the column is read.
        let withNulls = try run("SELECT k, count(n) FROM {} GROUP BY k", withStats.path).stats.bytesRead
        #expect(withNulls > keyOnly)
        let noStats = try EncodedFixture(dictionary: true, statistics: false)
        let keyOnlyNoStats = try run("SELECT k, count(*) FROM {} GROUP BY k", noStats.path).stats.bytesRead
        let countedNoStats = try run("SELECT k, count(m) FROM {} GROUP BY k", noStats.path).stats.bytesRead
        #expect(countedNoStats > keyOnlyNoStats)
        // A required column is never read for count(x).
        let required = try run("SELECT k, count(r) FROM {} GROUP BY k", noStats.path).stats.bytesRead
        #expect(required == keyOnlyNoStats)
    }
}

/// String filters compared per dictionary entry, against the same filters evaluated row by row
/// (brute force over the fixture's values), with and without page pruning and dictionaries.
@Suite struct CodedFilterTests {
    static let filters: [(sql: String, keep: @Sendable (Int) -> Bool?)] = [
        ("k = 'key-7'", { i in EncodedFixture.k(i).map { $0 == "key-7" } }),
        ("k <> 'key-7'", { i in EncodedFixture.k(i).map { $0 != "key-7" } }),
        ("k < 'key-2'", { i in EncodedFixture.k(i).map { $0 < "key-2" } }),
        ("'key-30' <= k", { i in EncodedFixture.k(i).map { "key-30" <= $0 } }),
        ("k IN ('key-1', 'key-13', 'nope')", { i in EncodedFixture.k(i).map { ["key-1", "key-13", "nope"].contains($0) } }),
        ("k NOT IN ('key-1', 'key-13')", { i in EncodedFixture.k(i).map { !["key-1", "key-13"].contains($0) } }),
        ("k BETWEEN 'key-10' AND 'key-19'", { i in EncodedFixture.k(i).map { $0 >= "key-10" && $0 <= "key-19" } }),
        ("n = 'n3' OR k = 'key-5'", { i in
            let a = EncodedFixture.n(i).map { $0 == "n3" }, b = EncodedFixture.k(i).map { $0 == "key-5" }
            if a == true || b == true { return true }
            if a == nil || b == nil { return nil }
            return false
        }),
        ("k = NULL", { _ in nil }),
        ("wide = 'wide-value-31-w'", { i in EncodedFixture.wide(i) == "wide-value-31-w" }),
    ]

    @Test(arguments: [(true, true), (true, false), (false, true)])
    func filtersAgreeWithRowByRow(dictionary: Bool, statistics: Bool) throws {
        let f = try EncodedFixture(dictionary: dictionary, statistics: statistics)
        for (sql, keep) in Self.filters {
            // Grouped by the filtered column itself, and by another one.
            let byN = try run("SELECT n, count(*) FROM {} WHERE \(sql) GROUP BY n", f.path, options(workers: 2))
            let expected = f.grouped(by: EncodedFixture.n, where: { keep($0) == true }, counting: [])
            #expect(byN.rows.sorted { $0.lexicographicallyPrecedes($1) } == expected, "\(sql)")
            let byK = try run("SELECT k, count(*) FROM {} WHERE \(sql) GROUP BY k", f.path, options(workers: 1))
            #expect(byK.rows == f.grouped(by: EncodedFixture.k, where: { keep($0) == true }, counting: [], sorted: false), "\(sql)")
            // Rows out, the filtered column among them (late materialization, values from codes).
            let rows = try run("SELECT r, k FROM {} WHERE (\(sql)) AND r = 'r1'", f.path, options(workers: 1))
            let want = (0..<f.rows).filter { keep($0) == true && EncodedFixture.r($0) == "r1" }
                .map { ["\"\(EncodedFixture.r($0))\"", EncodedFixture.k($0).map { "\"\($0)\"" } ?? "null"] }
            #expect(rows.rows == want, "\(sql)")
        }
    }

    @Test func aComparisonWithANonTextLiteralCastsRowByRow() throws {
        // `r` holds no number: the cast fails, whether or not the column is dictionary-encoded.
        let f = try EncodedFixture(dictionary: true, statistics: true)
        #expect(throws: FloeError.self) { try run("SELECT count(*) FROM {} WHERE r = 3", f.path) }
        let noDictionary = try EncodedFixture(dictionary: false, statistics: true)
        #expect(throws: FloeError.self) { try run("SELECT count(*) FROM {} WHERE r = 3", noDictionary.path) }
    }
}
