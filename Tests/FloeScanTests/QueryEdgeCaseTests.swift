import Foundation
import Testing
import FloeCore
import FloeEncodings
@testable import FloeScan

/// Queries at the edges found by comparing with DuckDB: booleans and NULLs in functions and
/// aggregates, overflow, casts, operator precedence, conditions that are not boolean, and
/// expressions deeper than the stack allows.
@Suite struct QueryEdgeCaseTests {
    static let data = """
    {"id":1,"b":true,"big":4611686018427387904,"d":2.5,"s":"x"}
    {"id":2,"b":false,"big":4611686018427387904,"d":-2.5,"s":null}
    {"id":3,"b":null,"big":1,"d":1e19,"s":"yz"}

    """

    static func failure(_ sql: String, _ path: String) -> String? {
        do {
            _ = try rows(sql, path)
            return nil
        } catch {
            return (error as? FloeError)?.message ?? "\(error)"
        }
    }

    @Test(arguments: QueryTests.formats) func booleansAndNulls(_ format: SourceFormat) throws {
        let f = try Fixture(Self.data)
        let p = f.path(format)
        #expect(try rows("SELECT min(b), max(b), min(true) FROM {}", p) == [["false", "true", "true"]])
        #expect(try rows("SELECT length(NULL), length(s) FROM {} ORDER BY id", p) == [["null", "1"], ["null", "null"], ["null", "2"]])
        #expect(try rows("SELECT upper(NULL) FROM {} WHERE id = 1", p) == [["null"]])
    }

    @Test(arguments: QueryTests.formats) func overflowIsAnErrorNotAWrappedValue(_ format: SourceFormat) throws {
        let f = try Fixture(Self.data)
        let p = f.path(format)
        #expect(Self.failure("SELECT sum(big) FROM {}", p)?.contains("overflows BIGINT") == true)
        #expect(Self.failure("SELECT avg(big) FROM {}", p)?.contains("overflows BIGINT") == true)
        #expect(Self.failure("SELECT big * 2 FROM {}", p)?.contains("overflows BIGINT") == true)
        #expect(Self.failure("SELECT big + big FROM {} WHERE id = 1", p)?.contains("overflows BIGINT") == true)
        // Per group the sums fit; as doubles the whole sum does too.
        #expect(try rows("SELECT id, sum(big) FROM {} GROUP BY id ORDER BY id", p).map { $0[1] } ==
                ["4611686018427387904", "4611686018427387904", "1"])
        #expect(try rows("SELECT sum(CAST(big AS DOUBLE)) FROM {}", p) == [["9223372036854775808.0"]] ||
                rows("SELECT sum(CAST(big AS DOUBLE)) FROM {}", p) == [["9.223372036854776e+18"]])
        #expect(Self.failure("SELECT sum(DISTINCT id) FROM {}", p)?.contains("not supported") == true)
        #expect(try rows("SELECT count(DISTINCT big) FROM {}", p) == [["2"]])
    }

    @Test(arguments: QueryTests.formats) func castsRoundTiesToEvenAndRefuseOutOfRange(_ format: SourceFormat) throws {
        let f = try Fixture(Self.data)
        let p = f.path(format)
        #expect(try rows("SELECT CAST(d AS BIGINT) FROM {} WHERE id < 3 ORDER BY id", p) == [["2"], ["-2"]])
        #expect(try rows("SELECT CAST(0.5 AS INTEGER), CAST(1.5 AS BIGINT), CAST('3.5' AS BIGINT) FROM {} WHERE id = 1", p) ==
                [["0", "2", "4"]])
        #expect(Self.failure("SELECT CAST(d AS BIGINT) FROM {}", p)?.contains("cannot cast") == true)
    }

    @Test(arguments: QueryTests.formats) func concatenationBindsLooserThanArithmetic(_ format: SourceFormat) throws {
        let f = try Fixture(Self.data)
        let p = f.path(format)
        #expect(try rows("SELECT '0' || 1 + 1, 'a' || 2 * 3 || 'b' FROM {} WHERE id = 1", p) == [["\"02\"", "\"a6b\""]])
        #expect(try rows("SELECT id FROM {} WHERE s || 'q' = 'xq'", p) == [["1"]])
    }

    @Test(arguments: QueryTests.formats) func conditionsMustBeBoolean(_ format: SourceFormat) throws {
        let f = try Fixture(Self.data)
        let p = f.path(format)
        #expect(Self.failure("SELECT count(*) FROM {} WHERE id", p)?.contains("WHERE needs a true/false condition") == true)
        #expect(Self.failure("SELECT id, count(*) FROM {} GROUP BY id HAVING 1", p)?.contains("HAVING needs") == true)
        #expect(try rows("SELECT count(*) FROM {} WHERE NULL", p) == [["0"]])
        #expect(try rows("SELECT count(*) FROM {} WHERE b", p) == [["1"]])
    }

    @Test(arguments: QueryTests.formats) func wholeNestedColumnsAreNullWhenNull(_ format: SourceFormat) throws {
        let f = try Fixture(#"{"id":1,"st":{"a":1},"l":[1],"e":[]}"# + "\n" + #"{"id":2,"st":null,"l":null,"e":null}"# + "\n"
                            + #"{"id":3,"st":{"a":null}}"# + "\n")
        let p = f.path(format)
        #expect(try rows("SELECT count(st), count(l), count(e), count(*) FROM {}", p) == [["2", "1", "1", "3"]])
        #expect(try rows("SELECT id FROM {} WHERE st IS NULL ORDER BY id", p) == [["2"]])
        #expect(try rows("SELECT id FROM {} WHERE l IS NOT NULL ORDER BY id", p) == [["1"]])
        #expect(try rows("SELECT id FROM {} WHERE st.a IS NULL ORDER BY id", p) == [["2"], ["3"]])
    }

    @Test(arguments: QueryTests.formats) func coalesceWidensToOneType(_ format: SourceFormat) throws {
        let f = try Fixture(#"{"id":1,"i":1,"d":0.5,"s":"x"}"# + "\n" + #"{"id":2,"i":null,"d":2.5,"s":null}"# + "\n")
        let p = f.path(format)
        #expect(try rows("SELECT coalesce(i, d) FROM {} ORDER BY id", p) == [["1.0"], ["2.5"]])
        #expect(try rows("SELECT coalesce(NULL, i, 7) FROM {} ORDER BY id", p) == [["1"], ["7"]])
        #expect(try rows("SELECT coalesce(s, 'none') FROM {} ORDER BY id", p) == [["\"x\""], ["\"none\""]])
        #expect(Self.failure("SELECT coalesce(s, i) FROM {}", p)?.contains("one type") == true)
    }

    @Test func deepExpressionsAreRefusedOrFast() throws {
        let f = try Fixture(Self.data)
        let p = f.parquet
        let chain = (0..<250).map { "id = \($0)" }.joined(separator: " OR ")
        #expect(try rows("SELECT count(*) FROM {} WHERE \(chain)", p) == [["3"]])
        let tooLong = (0..<3000).map { "id = \($0)" }.joined(separator: " OR ")
        #expect(Self.failure("SELECT count(*) FROM {} WHERE \(tooLong)", p)?.contains("nested more than 256 levels") == true)
        let parens = String(repeating: "(", count: 3000) + "1" + String(repeating: ")", count: 3000)
        #expect(Self.failure("SELECT \(parens) FROM {}", p)?.contains("nested more than") == true)
        let nots = String(repeating: "NOT ", count: 3000) + "true"
        #expect(Self.failure("SELECT \(nots) FROM {}", p)?.contains("nested more than") == true)
        let minus = String(repeating: "- ", count: 3000) + "1"
        #expect(Self.failure("SELECT \(minus) FROM {}", p)?.contains("nested more than") == true)
    }
    /// Expected values are DuckDB's (`SELECT upper(s), lower(s)`): one-to-one case mappings.
    @Test(arguments: QueryTests.formats) func caseMappingCoversUnicode(_ format: SourceFormat) throws {
        let words = ["straße", "ÉCOLE Été", "İstanbul", "ΣΊΣΥΦΟΣ", "ǅ", "ﬀ", "ŉ", "ꭰ", "𐐀𐐨", "Ⅻ", "ⓐ", "plain ASCII"]
        let text = words.enumerated().map { #"{"id":\#($0.offset),"s":"\#($0.element)"}"# }.joined(separator: "\n") + "\n"
        let f = try Fixture(text, rowGroupRows: nil)
        let p = f.path(format)
        let upper = ["STRAẞE", "ÉCOLE ÉTÉ", "İSTANBUL", "ΣΊΣΥΦΟΣ", "Ǆ", "ﬀ", "ŉ", "Ꭰ", "𐐀𐐀", "Ⅻ", "Ⓐ", "PLAIN ASCII"]
        let lower = ["straße", "école été", "istanbul", "σίσυφοσ", "ǆ", "ﬀ", "ŉ", "ꭰ", "𐐨𐐨", "ⅻ", "ⓐ", "plain ascii"]
        let got = try rows("SELECT upper(s), lower(s) FROM {} ORDER BY id", p)
        #expect(got == zip(upper, lower).map { ["\"\($0)\"", "\"\($1)\""] })
        // Grouped (a lone GROUP BY column may stay dictionary-encoded underneath).
        #expect(try rows("SELECT upper(s) AS u, count(*) FROM {} WHERE id < 2 GROUP BY u ORDER BY u", p) ==
                [["\"STRAẞE\"", "1"], ["\"ÉCOLE ÉTÉ\"", "1"]])
    }

    @Test func caseMappingKeepsInvalidUTF8() {
        let values = BinaryValues([[0x61, 0xFF, 0x42], Array("é".utf8)])
        let up = CaseMapping.map(values, upper: true)
        #expect(Array(up[0]) == [0x41, 0xFF, 0x42])
        #expect(Array(up[1]) == Array("É".utf8))
    }
    /// Two converter runs typed `k` as int64 and as double, `m` as int64 and as string: DuckDB
    /// (`union_by_name`) reads `k` as double everywhere, so 2 and 2.0 are one group.
    @Test func columnsTypedDifferentlyAcrossFilesShareOneType() throws {
        let a = try Fixture(#"{"k":2,"m":1}"# + "\n" + #"{"k":3,"m":2}"# + "\n", rowGroupRows: nil)
        let b = try Fixture(#"{"k":2.0,"m":"1"}"# + "\n" + #"{"k":2.5,"m":"y"}"# + "\n", rowGroupRows: nil)
        let dir = a.dir + "/both"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: a.parquet, toPath: dir + "/a.parquet")
        try FileManager.default.copyItem(atPath: b.parquet, toPath: dir + "/b.parquet")
        #expect(try rows("SELECT k, count(*) FROM {} GROUP BY k ORDER BY k", dir) == [["2.0", "2"], ["2.5", "1"], ["3.0", "1"]])
        #expect(try rows("SELECT min(k), max(k), count(DISTINCT k), sum(k) FROM {}", dir) == [["2.0", "3.0", "3", "9.5"]])
        #expect(try rows("SELECT count(*) FROM {} WHERE k = 2", dir) == [["2"]])
        #expect(try rows("SELECT m, count(*) FROM {} GROUP BY m ORDER BY m", dir) ==
                [["\"1\"", "2"], ["\"2\"", "1"], ["\"y\"", "1"]])
        #expect(try rows("SELECT count(*) FROM {} WHERE m = '1'", dir) == [["2"]])
    }
    /// DuckDB's order of doubles: NaN equals NaN and sorts above +infinity; -0.0 equals 0.0.
    @Test func nanSortsAboveEveryNumberAndEqualsItself() {
        let ordered: [Double] = [-.infinity, -1, -0.0, 0.0, 2.5, .infinity, .nan, -.nan]
        for (a, x) in ordered.enumerated() {
            for (b, y) in ordered.enumerated() {
                let rank = { (i: Int) in i >= 6 ? 6 : (i == 3 ? 2 : i) }  // ties: the zeros, the NaNs
                let want = rank(a) < rank(b) ? -1 : (rank(a) == rank(b) ? 0 : 1)
                #expect(SQLOrder.compare(x, y) == want, "\(x) vs \(y)")
            }
        }
        #expect(SQLValue.double(.nan) == SQLValue.double(-.nan))
        #expect(Set([SQLValue.double(.nan), .double(.nan), .double(0.0), .double(-0.0)]).count == 2)
        #expect(Aggregator.less(.double(.infinity), .double(.nan)) && !Aggregator.less(.double(.nan), .integer(7)))
    }
}
