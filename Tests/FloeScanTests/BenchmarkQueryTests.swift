import Foundation
import Testing
import FloeJSON
@testable import FloeScan

/// The four scenarios of the JSON-vs-columnar benchmark give the same answers on the JSON lines
/// and on their Parquet conversion.
@Suite struct BenchmarkQueryTests {
    @Test func fourScenariosAgree() throws {
        var generator = EventGenerator(seed: 7)
        var bytes: [UInt8] = []
        for _ in 0..<3000 { generator.appendEvent(to: &bytes) }
        let f = try Fixture(String(decoding: bytes, as: UTF8.self), rowGroupRows: 500)
        func both(_ sql: String) throws -> [[String]] {
            let a = try rows(sql, f.jsonl), b = try rows(sql, f.parquet)
            #expect(a == b, "\(sql)")
            return b
        }
        let q1 = try both("SELECT count(*) FROM {}")
        #expect(q1 == [["3000"]])
        let q2 = try both("SELECT type, count(messageId) FROM {} GROUP BY type ORDER BY 2 DESC")
        #expect(q2.count == 6 && q2.map { Int($0[1]) ?? 0 }.reduce(0, +) == 3000)
        let top = try both("SELECT sourceId, date(timestamp), count(*) FROM {} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1")
        let source = try #require(top.first?[0]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let day = try #require(top.first?[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let q3 = try both("""
            SELECT type, count(messageId) FROM {} WHERE sourceId = '\(source)' AND date_trunc('day', timestamp) = DATE '\(day)'
            GROUP BY 1 ORDER BY 2 DESC, 1
            """)
        #expect(q3.map { Int($0[1]) ?? 0 }.reduce(0, +) == Int(try #require(top.first?[2])))
        let id = try #require(try both("SELECT messageId FROM {} WHERE type = 'track' LIMIT 1").first?[0])
        let q4 = try both("SELECT * FROM {} WHERE messageId = \(id.replacingOccurrences(of: "\"", with: "'"))")
        #expect(q4.count == 1 && q4[0].contains(id))
        let q4Parquet = try QueryEngine.run("SELECT * FROM '\(f.parquet)' WHERE messageId = \(id.replacingOccurrences(of: "\"", with: "'"))")
        let q2Parquet = try QueryEngine.run("SELECT type, count(messageId) FROM '\(f.parquet)' GROUP BY type ORDER BY 2 DESC")
        #expect(q4Parquet.stats.rowGroupsRead == 6)
        #expect(try QueryEngine.run("SELECT count(*) FROM '\(f.parquet)'").stats.rowGroupsRead == 0)
        #expect(q2Parquet.stats.bytesRead < q4Parquet.stats.bytesRead)
    }
}
