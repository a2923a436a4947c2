import Foundation
import Testing
import FloeCore
import FloeConvert
import FloeJSON
@testable import FloeScan

/// A temporary directory with the sample data as JSON lines and as Parquet (one row per row group).
final class Fixture {
    let dir: String
    let jsonl: String
    let parquet: String

    static let sample = """
    {"id":1,"name":"a","score":1.5,"ts":"2019-05-27T10:00:00Z","ctx":{"page":{"url":"u1"}},"tags":{"k":"v"},"flag":true}
    {"id":2,"name":"b","score":null,"ts":"2019-05-27T23:00:00Z","ctx":{"page":{"url":"u2"}},"flag":false}
    {"id":3,"name":null,"score":2.5,"ts":"2019-05-28T01:00:00Z","ctx":null,"flag":null}
    {"id":4,"name":"b","score":4,"ts":"2019-05-29T00:00:00Z","ctx":{"page":{"url":"u4"}},"tags":{"k":"w"},"flag":true}

    """

    init(_ text: String = Fixture.sample, rowGroupRows: Int? = 1) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("floe-scan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        jsonl = dir + "/t.jsonl"
        parquet = dir + "/t.parquet"
        try Data(text.utf8).write(to: URL(fileURLWithPath: jsonl))
        var options = ConvertOptions()
        options.writer.rowGroupRowLimit = rowGroupRows
        _ = try Converter(inputs: [jsonl], output: parquet, options: options).run()
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func path(_ format: SourceFormat) -> String { format == .parquet ? parquet : jsonl }
}

/// Runs `sql` with `{}` replaced by the quoted path; rows as canonical JSON texts.
func rows(_ sql: String, _ path: String) throws -> [[String]] {
    try QueryEngine.run(sql.replacingOccurrences(of: "{}", with: "'\(path)'")).rows.map { $0.map(\.canonicalJSON) }
}

@Suite struct QueryTests {
    static let formats: [SourceFormat] = [.parquet, .jsonLines]

    @Test(arguments: formats) func projectionAndComparisons(_ format: SourceFormat) throws {
        let f = try Fixture()
        let p = f.path(format)
        #expect(try rows("SELECT id FROM {} WHERE score > 2 ORDER BY id", p) == [["3"], ["4"]])
        #expect(try rows("SELECT id, name FROM {} WHERE name <> 'a' ORDER BY 1", p) == [["2", "\"b\""], ["4", "\"b\""]])
        #expect(try rows("SELECT id FROM {} WHERE id >= 2 AND id <= 3 ORDER BY id DESC", p) == [["3"], ["2"]])
        #expect(try rows("SELECT id FROM {} WHERE id != 2 AND id < 4 ORDER BY id", p) == [["1"], ["3"]])
        #expect(try rows("SELECT id * 2 + 1 AS x, id / 2 FROM {} WHERE id = 3", p) == [["7", "1.5"]])
        #expect(try rows("SELECT ctx.page.url FROM {} ORDER BY id", p) == [["\"u1\""], ["\"u2\""], ["null"], ["\"u4\""]])
        #expect(try rows("SELECT \"name\" FROM {} WHERE \"id\" = 1", p) == [["\"a\""]])
        #expect(try rows("SELECT id FROM {} ORDER BY id DESC LIMIT 2", p) == [["4"], ["3"]])
        #expect(try rows("SELECT ts FROM {} WHERE id = 1", p) == [["\"2019-05-27T10:00:00.000000Z\""]])
    }

    @Test(arguments: formats) func nullSemantics(_ format: SourceFormat) throws {
        let f = try Fixture()
        let p = f.path(format)
        // Three-valued logic: NULL OR TRUE is TRUE; NOT NULL stays NULL and is filtered out.
        #expect(try rows("SELECT id FROM {} WHERE score > 2 OR name = 'a' ORDER BY id", p) == [["1"], ["3"], ["4"]])
        #expect(try rows("SELECT id FROM {} WHERE NOT (score > 2) ORDER BY id", p) == [["1"]])
        #expect(try rows("SELECT id FROM {} WHERE name = 'b' AND score IS NULL", p) == [["2"]])
        #expect(try rows("SELECT id FROM {} WHERE name IS NOT NULL AND flag ORDER BY id", p) == [["1"], ["4"]])
        #expect(try rows("SELECT id FROM {} WHERE name NOT IN ('a') ORDER BY id", p) == [["2"], ["4"]])
        #expect(try rows("SELECT count(*), count(score), count(name), count(DISTINCT name), sum(id), avg(id), min(score), max(name) FROM {}", p)
                == [["4", "3", "3", "2", "10", "2.5", "1.5", "\"b\""]])
        #expect(try rows("SELECT sum(score), avg(score) FROM {} WHERE id > 10", p) == [["null", "null"]])
        #expect(try rows("SELECT count(*) FROM {} WHERE id > 10", p) == [["0"]])
        #expect(try rows("SELECT id FROM {} ORDER BY score DESC", p) == [["4"], ["3"], ["1"], ["2"]])
    }

    @Test(arguments: formats) func predicatesAndFunctions(_ format: SourceFormat) throws {
        let f = try Fixture()
        let p = f.path(format)
        #expect(try rows("SELECT id FROM {} WHERE id IN (1, 3, 9) ORDER BY id", p) == [["1"], ["3"]])
        #expect(try rows("SELECT id FROM {} WHERE id BETWEEN 2 AND 3 ORDER BY id", p) == [["2"], ["3"]])
        #expect(try rows("SELECT id FROM {} WHERE id NOT BETWEEN 2 AND 3 ORDER BY id", p) == [["1"], ["4"]])
        #expect(try rows("SELECT id FROM {} WHERE ctx.page.url LIKE 'u%' AND ctx.page.url NOT LIKE '_2' ORDER BY id", p) == [["1"], ["4"]])
        #expect(try rows("SELECT CAST(id AS VARCHAR), CAST('7' AS INTEGER), CAST(score AS INTEGER) FROM {} WHERE id = 4", p)
                == [["\"4\"", "7", "4"]])
        #expect(try rows("SELECT date_trunc('day', ts), date(ts), date_trunc('hour', ts) FROM {} WHERE id = 2", p)
                == [["\"2019-05-27T00:00:00.000000Z\"", "\"2019-05-27\"", "\"2019-05-27T23:00:00.000000Z\""]])
        #expect(try rows("SELECT id FROM {} WHERE date_trunc('day', ts) = DATE '2019-05-27' ORDER BY id", p) == [["1"], ["2"]])
        #expect(try rows("SELECT id FROM {} WHERE ts >= TIMESTAMP '2019-05-28 00:00:00' ORDER BY id", p) == [["3"], ["4"]])
        #expect(try rows("SELECT id FROM {} WHERE date(ts) = '2019-05-29'", p) == [["4"]])
        #expect(try rows("SELECT tags['k'] FROM {} ORDER BY id", p) == [["\"v\""], ["null"], ["null"], ["\"w\""]])
        #expect(try rows("SELECT DISTINCT name FROM {} ORDER BY 1", p) == [["\"a\""], ["\"b\""], ["null"]])
    }

    @Test(arguments: formats) func groupByOrderByOrdinal(_ format: SourceFormat) throws {
        let f = try Fixture()
        let p = f.path(format)
        #expect(try rows("SELECT name, count(*) FROM {} GROUP BY name ORDER BY 2 DESC, 1", p)
                == [["\"b\"", "2"], ["\"a\"", "1"], ["null", "1"]])
        #expect(try rows("SELECT date(ts) AS d, sum(id) FROM {} GROUP BY 1 ORDER BY d", p)
                == [["\"2019-05-27\"", "3"], ["\"2019-05-28\"", "3"], ["\"2019-05-29\"", "4"]])
        #expect(try rows("SELECT name, max(id) - min(id) FROM {} GROUP BY name HAVING count(*) > 1", p) == [["\"b\"", "2"]])
    }

    @Test func errorsNamePositions() throws {
        func message(_ sql: String) -> String {
            do { _ = try QueryEngine.run(sql); return "" } catch { return error.message }
        }
        #expect(message("SELECT id FROM 'x.parquet' WHERE").contains("position 33"))
        #expect(message("SELECT id,, FROM 'x'").contains("position 11"))
        #expect(message("SELECT 'abc FROM x").contains("position 8"))
        #expect(message("SELECT id FROM 'x' LIMIT -1").contains("position 26"))
        let f = try Fixture()
        #expect(message("SELECT nope FROM '\(f.parquet)'").contains("unknown column nope at position 8"))
        #expect(message("SELECT name, count(*) FROM '\(f.parquet)'").contains("position 8"))
    }

    @Test func pruningReadsFewerBytes() throws {
        let f = try Fixture()
        let all = try QueryEngine.run("SELECT name FROM '\(f.parquet)' WHERE id > 0")
        let one = try QueryEngine.run("SELECT name FROM '\(f.parquet)' WHERE id = 4")
        #expect(all.rows.count == 4 && one.rows.map { $0.map(\.canonicalJSON) } == [["\"b\""]])
        #expect(one.stats.rowGroupsPruned == 3 && one.stats.rowGroupsRead == 1)
        #expect(one.stats.bytesRead < all.stats.bytesRead)
        let day = try QueryEngine.run("SELECT id FROM '\(f.parquet)' WHERE date_trunc('day', ts) = DATE '2019-05-29'")
        #expect(day.stats.rowGroupsPruned == 3)
        let count = try QueryEngine.run("SELECT count(*), count(name) FROM '\(f.parquet)'")
        #expect(count.rows == [[.integer(4), .integer(3)]])
        #expect(count.stats.rowGroupsRead == 0 && count.stats.rowGroupsFromFooter == 4)
    }

    @Test func hivePartitionsAndGlobs() throws {
        let f = try Fixture()
        let root = f.dir + "/lake"
        for (day, id) in [("2019-05-27", 1), ("2019-05-28", 3)] {
            let sub = root + "/day=\(day)"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            let line = Fixture.sample.split(separator: "\n")[id - 1]
            try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: sub + "/part.jsonl"))
            _ = try Converter(inputs: [sub + "/part.jsonl"], output: sub + "/part.parquet").run()
        }
        #expect(try rows("SELECT day, id FROM {} ORDER BY 1", root + "/*/*.parquet") == [["\"2019-05-27\"", "1"], ["\"2019-05-28\"", "3"]])
        let r = try QueryEngine.run("SELECT id FROM '\(root)/*/*.jsonl' WHERE day = '2019-05-28'")
        #expect(r.rows == [[.integer(3)]] && r.stats.filesPruned == 1)
        #expect(try rows("SELECT count(*) FROM {} WHERE day >= '2019-05-27'", root + "/*/*.parquet") == [["2"]])
    }

    @Test func outputFormats() throws {
        let f = try Fixture()
        let r = try QueryEngine.run("SELECT id, name, ts FROM '\(f.parquet)' WHERE id <= 2 ORDER BY id")
        #expect(String(decoding: r.jsonLines(), as: UTF8.self) == """
        {"id":1,"name":"a","ts":"2019-05-27T10:00:00.000000Z"}
        {"id":2,"name":"b","ts":"2019-05-27T23:00:00.000000Z"}

        """)
        #expect(String(decoding: r.csv(), as: UTF8.self) == "id,name,ts\n1,a,2019-05-27T10:00:00.000000Z\n2,b,2019-05-27T23:00:00.000000Z\n")
    }
}

@Suite struct BloomFilterPruningTests {
    @Test func equalityOnABloomFilteredColumnSkipsRowGroups() throws {
        let f = try Fixture()
        let out = f.dir + "/bloom.parquet"
        var options = ConvertOptions()
        options.writer.rowGroupRowLimit = 1
        options.writer.bloomFilterColumns = ["ctx.page.url"]
        options.writer.statistics = false
        _ = try Converter(inputs: [f.jsonl], output: out, options: options).run()
        let r = try QueryEngine.run("SELECT id FROM '\(out)' WHERE ctx.page.url = 'u4'")
        #expect(r.rows == [[.integer(4)]])
        #expect(r.stats.rowGroupsPrunedByBloomFilter >= 2 && r.stats.rowGroupsRead <= 2)
    }
}

@Suite struct StructOutputTests {
    @Test(arguments: QueryTests.formats) func wholeStructsRenderAsJSON(_ format: SourceFormat) throws {
        let f = try Fixture()
        #expect(try rows("SELECT ctx, tags FROM {} WHERE id = 1", f.path(format)) == [["{\"page\":{\"url\":\"u1\"}}", "{\"k\":\"v\"}"]])
        let star = try QueryEngine.run("SELECT * FROM '\(f.path(format))' WHERE id = 3")
        #expect(String(decoding: star.jsonLines(), as: UTF8.self).hasPrefix("{\"id\":3,\"name\":null,\"score\":2.5,\"ts\":\"2019-05-28T01:00:00.000000Z\",\"ctx\":null,"))
    }
}
